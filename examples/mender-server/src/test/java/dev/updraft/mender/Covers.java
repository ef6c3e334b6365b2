package dev.updraft.mender;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operations of Mender's reference API a test calls and checks, each as {@code METHOD path}
 * with the path exactly as the reference files write it ({@code GET
 * /api/management/v1/inventory/devices/{id}}). {@link ApiCoverageTest} builds the README's coverage
 * table from these.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Covers {
  String[] value();
}
