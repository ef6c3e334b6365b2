/**
 * The engine: {@link dev.updraft.core.engine.Updraft}, the one facade a host calls. It loads
 * records from the host's {@link dev.updraft.spi.UpdraftStore}, calls the pure decisions of the
 * feature packages, and commits their result atomically, retrying on conflict. Only this package
 * touches the SPI.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.engine;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
