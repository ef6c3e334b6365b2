/**
 * The storage contract of Updraft: what a host application implements so that the engine can keep
 * devices, releases, deployments and device deployments in the host's own database.
 *
 * <p>The record types and the store interface arrive with the engine (issue 3); until then this
 * module only fixes the artifact's place at the bottom of the module graph, so that {@code core}
 * never depends on anything a host must implement.
 */
@NullMarked
package dev.updraft.spi;

import org.jspecify.annotations.NullMarked;
