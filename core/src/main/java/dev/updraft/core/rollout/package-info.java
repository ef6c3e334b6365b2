/**
 * The pure decisions of a rollout: which deployment a polling device gets and why, what a status
 * report does, and what aborting a deployment or decommissioning a device changes. Each decision
 * takes the current values and returns the new ones; the caller (the engine, or a host using core
 * as a policy engine) stores them atomically.
 */
@NullMarked
@UpdraftStyle
package dev.updraft.core.rollout;

import dev.updraft.core.internal.UpdraftStyle;
import org.jspecify.annotations.NullMarked;
