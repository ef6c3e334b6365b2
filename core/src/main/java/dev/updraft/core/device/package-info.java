/**
 * Devices: identity, admission, the state a device reports (type, installed artifact, provides) and
 * its scoped inventory attributes.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.device;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
