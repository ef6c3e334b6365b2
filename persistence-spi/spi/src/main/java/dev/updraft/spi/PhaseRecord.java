package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/** One phase of a deployment: batch size in percent and start time, each optional. */
public record PhaseRecord(Optional<Integer> batchSize, Optional<Instant> start) {}
