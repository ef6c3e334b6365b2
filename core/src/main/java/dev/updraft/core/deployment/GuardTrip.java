package dev.updraft.core.deployment;

import java.time.Instant;
import org.immutables.value.Value;

/** Why and when a rollout guard tripped [U]: the failures among the devices that tried. */
@Value.Immutable
public abstract class GuardTrip {
  GuardTrip() {}

  @Value.Parameter
  public abstract long failed();

  @Value.Parameter
  public abstract long tried();

  @Value.Parameter
  public abstract Instant at();

  @Value.Parameter
  public abstract GuardAction action();

  public static GuardTrip of(long failed, long tried, Instant at, GuardAction action) {
    return new ImmutableGuardTrip(failed, tried, at, action);
  }

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
