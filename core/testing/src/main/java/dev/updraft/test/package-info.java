/**
 * Support for hosts' own tests of code that embeds Updraft: {@link dev.updraft.test.ManualClock}
 * (time that moves only when told), {@link dev.updraft.test.TestFleet} (devices registered,
 * accepted and reporting a state in one call) and {@link dev.updraft.test.UpdraftAssertions}
 * (AssertJ assertions for deployments, statistics and poll decisions). A test-scope dependency.
 */
@NullMarked
package dev.updraft.test;

import org.jspecify.annotations.NullMarked;
