package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One phase of a deployment: batch size in percent and start time, each optional, and a gate: the
 * success ratio the previous phase must reach (over at least a minimum of finished devices).
 */
public record PhaseRecord(
    Optional<Integer> batchSize, Optional<Instant> start, Optional<GateRecord> gate) {
  /** A phase gate. */
  public record GateRecord(double minSuccessRatio, long minSample) {}
}
