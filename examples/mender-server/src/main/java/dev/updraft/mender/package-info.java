/**
 * An update server speaking Mender's device API and a subset of its management API, built on
 * Updraft's engine and JDBC store. {@link dev.updraft.mender.MenderServerMain} starts it; {@link
 * dev.updraft.mender.MenderServer} is the server a test or host embeds.
 */
@NullMarked
package dev.updraft.mender;

import org.jspecify.annotations.NullMarked;
