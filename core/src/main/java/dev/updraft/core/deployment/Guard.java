package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import org.immutables.value.Value;

/**
 * A rollout guard [U]: once at least {@link #minSample()} devices have tried the update (finished
 * with {@code success} or {@code failure}) since the deployment started or was last resumed, a
 * failure ratio above {@link #maxFailureRatio()} trips it, and the deployment pauses or aborts
 * itself. Devices that finish without trying ({@code noartifact}, {@code already-installed},
 * aborted, decommissioned) are not part of the sample, nor are failures that will be retried.
 */
@Value.Immutable
public abstract class Guard {
  Guard() {}

  /** {@return the share of tried devices that may fail without tripping the guard, in [0, 1)} */
  @Value.Parameter
  public abstract double maxFailureRatio();

  /** {@return how many devices must have tried the update before the guard can trip} */
  @Value.Parameter
  public abstract long minSample();

  /** {@return what a trip does to the deployment} */
  @Value.Parameter
  public abstract GuardAction action();

  /**
   * {@return a guard}
   *
   * @param maxFailureRatio the share of tried devices that may fail without tripping the guard, in
   *     [0, 1)
   * @param minSample how many devices must have tried the update before the guard can trip
   * @param action what a trip does to the deployment
   * @throws dev.updraft.core.InvalidInputException when the ratio is not in [0, 1) or the sample is
   *     below 1
   */
  public static Guard of(double maxFailureRatio, long minSample, GuardAction action) {
    return new ImmutableGuard(maxFailureRatio, minSample, action);
  }

  /**
   * {@return whether {@code failed} failures among {@code tried} devices trip the guard}
   *
   * @param failed how many failed
   * @param tried how many tried
   */
  public boolean isCrossed(long failed, long tried) {
    return tried >= minSample() && failed > maxFailureRatio() * tried;
  }

  @Value.Check
  void check() {
    if (!(maxFailureRatio() >= 0 && maxFailureRatio() < 1)) {
      throw new InvalidInputException(
          "guard.max_failure_ratio", maxFailureRatio(), "must be at least 0 and below 1");
    }
    Checks.range("guard.min_sample", minSample(), 1, Long.MAX_VALUE);
  }
}
