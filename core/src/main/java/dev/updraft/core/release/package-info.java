/**
 * Releases and artifacts: compatibility (device types, depends and provides), the rule that keeps a
 * release's artifacts from overlapping, and the choice of the artifact a device gets.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.release;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
