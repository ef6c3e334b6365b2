/**
 * Shared helpers of core's feature packages. Public only because Java has no friend packages: not
 * API, may change in any release.
 */
@NullMarked
package dev.updraft.core.internal;

import org.jspecify.annotations.NullMarked;
