/** Updraft's domain core: the errors shared by every feature package. */
@NullMarked
package dev.updraft.core;

import org.jspecify.annotations.NullMarked;
