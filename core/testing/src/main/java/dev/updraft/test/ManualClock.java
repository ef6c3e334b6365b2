package dev.updraft.test;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.engine.Updraft;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told, for fleet simulations, test rigs and hosts' own tests: give it
 * to {@link Updraft.Builder#clock} and {@link #advance} it between steps. Thread safe.
 */
public final class ManualClock extends Clock {
  private volatile Instant now;

  /**
   * A clock showing {@code start} until it is advanced.
   *
   * @param start the time it shows
   */
  public ManualClock(Instant start) {
    this.now = start;
  }

  /**
   * Moves the clock forward by {@code step}.
   *
   * @param step how far; zero leaves it
   * @throws InvalidInputException when {@code step} is negative: a clock does not go back
   */
  public synchronized void advance(Duration step) {
    if (step.isNegative()) {
      throw new InvalidInputException(
          "step", step, "must not be negative: a clock does not go back");
    }
    now = now.plus(step);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** {@return this clock keeps UTC; another zone is refused} */
  @Override
  public Clock withZone(ZoneId zone) {
    if (!zone.equals(ZoneOffset.UTC)) {
      throw new UnsupportedOperationException("a ManualClock keeps UTC, not " + zone);
    }
    return this;
  }
}
