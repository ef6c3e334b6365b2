package dev.updraft.core.engine;

import dev.updraft.core.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long the engine keeps retrying an operation that lost a race with a concurrent commit (a
 * {@link dev.updraft.spi.StoreConflictException}) or found the store unreachable (a {@link
 * dev.updraft.spi.StoreUnavailableException}), and how it waits between attempts. The first {@link
 * #DEFAULT_IMMEDIATE_RETRIES} retries follow at once (a conflict is usually over by then); each
 * later one waits a random time between zero and a ceiling that doubles from {@code firstBackoff}
 * up to {@code maxBackoff} ("full jitter": racing writers spread out instead of colliding again in
 * step). Once the next wait would end past the budget, the operation fails: a conflict as a {@link
 * dev.updraft.core.ConflictException}, an unreachable store as the store's own exception.
 * Immutable.
 */
public final class RetryPolicy {
  /** Retries made without waiting before the backoff starts. */
  public static final int DEFAULT_IMMEDIATE_RETRIES = 4;

  private static final RetryPolicy DEFAULT =
      new RetryPolicy(
          Duration.ofSeconds(10),
          Duration.ofNanos(100_000),
          Duration.ofMillis(50),
          DEFAULT_IMMEDIATE_RETRIES);

  private final Duration budget;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final int immediateRetries;

  private RetryPolicy(
      Duration budget, Duration firstBackoff, Duration maxBackoff, int immediateRetries) {
    this.budget = positive("budget", budget);
    this.firstBackoff = positive("firstBackoff", firstBackoff);
    this.maxBackoff = positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(firstBackoff) < 0) {
      throw new InvalidInputException(
          "maxBackoff", maxBackoff, "must not be shorter than firstBackoff " + firstBackoff);
    }
    if (immediateRetries < 0) {
      throw new InvalidInputException("immediateRetries", immediateRetries, "must not be negative");
    }
    this.immediateRetries = immediateRetries;
  }

  /**
   * {@return the engine's default: a budget of 10 s, {@value #DEFAULT_IMMEDIATE_RETRIES} immediate
   * retries, then waits from 0.1 ms doubling up to 50 ms}
   */
  public static RetryPolicy defaults() {
    return DEFAULT;
  }

  /**
   * {@return the default policy with another time budget: how long, from an operation's first
   * attempt, the engine may keep retrying it}
   *
   * @param budget how long, from an operation's first attempt, the engine may keep retrying it
   * @throws InvalidInputException when {@code budget} is zero or negative
   */
  public static RetryPolicy withBudget(Duration budget) {
    return new RetryPolicy(
        budget, DEFAULT.firstBackoff, DEFAULT.maxBackoff, DEFAULT.immediateRetries);
  }

  /**
   * {@return this policy with other waits: the first wait's ceiling and the largest}
   *
   * @param first the first wait's ceiling
   * @param max the largest ceiling
   * @throws InvalidInputException when either is zero or negative, or {@code max} is below {@code
   *     first}
   */
  public RetryPolicy backoff(Duration first, Duration max) {
    return new RetryPolicy(budget, first, max, immediateRetries);
  }

  /**
   * {@return this policy with another number of retries made at once, before the waits start}
   *
   * @param retries how many retries
   * @throws InvalidInputException when {@code retries} is negative
   */
  public RetryPolicy immediateRetries(int retries) {
    return new RetryPolicy(budget, firstBackoff, maxBackoff, retries);
  }

  /** {@return how long, from an operation's first attempt, the engine may keep retrying it} */
  public Duration budget() {
    return budget;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first), given a {@code random} draw in
   * {@code [0, 1)}: zero for the immediate retries, then the draw's share of the ceiling.
   *
   * @param retry the retry's number, from 1
   * @param random a draw in [0, 1)
   */
  Duration backoff(int retry, DoubleSupplier random) {
    if (retry <= immediateRetries) {
      return Duration.ZERO;
    }
    int doublings = Math.min(retry - immediateRetries - 1, 30);
    long ceiling = Math.min(maxBackoff.toNanos(), firstBackoff.toNanos() << doublings);
    if (ceiling < 0) {
      ceiling = maxBackoff.toNanos(); // the shift overflowed
    }
    return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
  }

  /**
   * {@link #backoff(int, DoubleSupplier)} with a draw of this thread's random generator.
   *
   * @param retry the retry's number, from 1
   */
  Duration backoff(int retry) {
    return backoff(retry, () -> ThreadLocalRandom.current().nextDouble());
  }

  private static Duration positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isZero() || value.isNegative()) {
      throw new InvalidInputException(field, value, "must be positive");
    }
    return value;
  }

  @Override
  public String toString() {
    return "RetryPolicy{budget="
        + budget
        + ", immediateRetries="
        + immediateRetries
        + ", backoff="
        + firstBackoff
        + ".."
        + maxBackoff
        + "}";
  }
}
