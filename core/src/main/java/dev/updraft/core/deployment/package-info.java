/**
 * Deployments and device deployments: targets, options (phases, retries, maximum devices, forced
 * installation), creation, both status machines and the statistics they keep.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.deployment;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
