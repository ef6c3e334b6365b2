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

  /**
   * {@return the share of the previous phase's tried devices that must have succeeded, in (0, 1]}
   */
  @Value.Parameter
  public abstract double minSuccessRatio();

  /** {@return how many of the previous phase's devices must have tried the update} */
  @Value.Parameter
  public abstract long minSample();

  /**
   * {@return a gate}
   *
   * @param minSuccessRatio the share of the previous phase's tried devices that must have
   *     succeeded, in (0, 1]
   * @param minSample how many of the previous phase's devices must have tried the update
   * @throws dev.updraft.core.InvalidInputException when the ratio is not in (0, 1] or the sample is
   *     below 1
   */
  public static PhaseGate of(double minSuccessRatio, long minSample) {
    return new ImmutablePhaseGate(minSuccessRatio, minSample);
  }

  /**
   * {@return whether {@code succeeded} successes among {@code tried} devices open the gate}
   *
   * @param succeeded how many succeeded
   * @param tried how many tried
   */
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
