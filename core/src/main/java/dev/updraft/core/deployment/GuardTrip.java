package dev.updraft.core.deployment;

import java.time.Instant;
import org.immutables.value.Value;

/** Why and when a rollout guard tripped [U]: the failures among the devices that tried. */
@Value.Immutable
public abstract class GuardTrip {
  GuardTrip() {}

  /** {@return how many of the tried devices had failed} */
  @Value.Parameter
  public abstract long failed();

  /** {@return how many devices had tried the update} */
  @Value.Parameter
  public abstract long tried();

  /** {@return when the guard tripped} */
  @Value.Parameter
  public abstract Instant at();

  /** {@return what the trip did to the deployment} */
  @Value.Parameter
  public abstract GuardAction action();

  /**
   * {@return a trip of a guard}
   *
   * @param failed how many of the tried devices had failed
   * @param tried how many devices had tried the update
   * @param at when the guard tripped
   * @param action what the trip did to the deployment
   */
  public static GuardTrip of(long failed, long tried, Instant at, GuardAction action) {
    return new ImmutableGuardTrip(failed, tried, at, action);
  }

  /** {@return the failure ratio that tripped the guard} */
  public double ratio() {
    return (double) failed() / tried();
  }

  @Override
  public String toString() {
    return String.format(
        "guard tripped at %s: %d of %d devices failed (%.2f), %s",
        at(), failed(), tried(), ratio(), action().wireName());
  }
}
