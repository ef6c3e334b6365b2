package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One phase of a deployment: batch size in percent and start time, each optional, and a gate: the
 * success ratio the previous phase must reach (over at least a minimum of finished devices).
 *
 * @param batchSize the phase's share of the devices in percent, absent for the rest
 * @param start when the phase starts
 * @param gate the gate
 */
public record PhaseRecord(
    Optional<Integer> batchSize, Optional<Instant> start, Optional<GateRecord> gate) {
  /**
   * A phase gate.
   *
   * @param minSuccessRatio the smallest success ratio
   * @param minSample the smallest sample
   */
  public record GateRecord(double minSuccessRatio, long minSample) {}
}
