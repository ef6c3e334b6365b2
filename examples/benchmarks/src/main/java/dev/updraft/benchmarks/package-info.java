/**
 * JMH benchmarks of Updraft's engine over the in-memory store at fleet scale ({@link
 * dev.updraft.benchmarks.Fleet}), and {@link dev.updraft.benchmarks.BenchmarkMain}, which runs them
 * and prints the cost model's targets with the measured values.
 */
@NullMarked
package dev.updraft.benchmarks;

import org.jspecify.annotations.NullMarked;
