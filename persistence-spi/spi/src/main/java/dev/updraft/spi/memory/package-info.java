/** The reference in-memory store: thread safe, indexed, and held to the conformance kit. */
@NullMarked
package dev.updraft.spi.memory;

import org.jspecify.annotations.NullMarked;
