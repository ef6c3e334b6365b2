package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import org.immutables.value.Value;

/**
 * A phase gate [U]: the phase opens only once the previous phase has at least {@link #minSample()}
 * devices that tried the update (success or failure) and at least {@link #minSuccessRatio()} of
 * them succeeded.
 */
@Value.Immutable
public abstract class PhaseGate {
  PhaseGate() {}

  @Value.Parameter
  public abstract double minSuccessRatio();

  @Value.Parameter
  public abstract long minSample();

  public static PhaseGate of(double minSuccessRatio, long minSample) {
    return new ImmutablePhaseGate(minSuccessRatio, minSample);
  }

  /** Whether {@code succeeded} successes among {@code tried} devices open the gate. */
  public boolean isOpen(long succeeded, long tried) {
    return tried >= minSample() && succeeded >= minSuccessRatio() * tried;
  }

  @Value.Check
  void check() {
    if (!(minSuccessRatio() > 0 && minSuccessRatio() <= 1)) {
      throw new InvalidInputException(
          "gate.min_success_ratio", minSuccessRatio(), "must be above 0 and at most 1");
    }
    Checks.range("gate.min_sample", minSample(), 1, Long.MAX_VALUE);
  }
}
