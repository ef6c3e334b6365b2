/**
 * Groups of devices: saved filters (Mender's dynamic groups) and the filters themselves, parsed
 * from Mender's JSON term shape, validated, compiled once and evaluated against a device. Static
 * group membership is a field of {@link dev.updraft.core.device.Device}.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.group;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
