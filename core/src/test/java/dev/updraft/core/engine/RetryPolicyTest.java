package dev.updraft.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CommitOutcomeUnknownException;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The retry policy's waits, and what {@link Storage#retrying} retries under it. */
class RetryPolicyTest {

  @Nested
  @DisplayName("backoff")
  class Backoff {
    private final RetryPolicy policy =
        RetryPolicy.withBudget(Duration.ofSeconds(1))
            .backoff(Duration.ofMillis(1), Duration.ofMillis(8))
            .immediateRetries(2);

    @Test
    @DisplayName("the immediate retries do not wait, whatever the draw")
    void immediate() {
      assertThat(policy.backoff(1, () -> 0.99)).isZero();
      assertThat(policy.backoff(2, () -> 0.99)).isZero();
    }

    @Test
    @DisplayName("later waits are the draw's share of a ceiling that doubles up to the maximum")
    void doublingCeiling() {
      assertThat(policy.backoff(3, () -> 0.5)).isEqualTo(Duration.ofNanos(500_000));
      assertThat(policy.backoff(4, () -> 0.5)).isEqualTo(Duration.ofMillis(1));
      assertThat(policy.backoff(5, () -> 0.5)).isEqualTo(Duration.ofMillis(2));
      assertThat(policy.backoff(6, () -> 0.5)).isEqualTo(Duration.ofMillis(4));
      assertThat(policy.backoff(7, () -> 0.5)).isEqualTo(Duration.ofMillis(4));
      assertThat(policy.backoff(1_000, () -> 0.5)).isEqualTo(Duration.ofMillis(4));
    }

    @Test
    @DisplayName("jitter: a draw of zero waits nothing; every real draw stays under the ceiling")
    void jitter() {
      assertThat(policy.backoff(6, () -> 0.0)).isZero();
      for (int i = 0; i < 1_000; i++) {
        assertThat(policy.backoff(6)).isBetween(Duration.ZERO, Duration.ofMillis(8));
      }
    }

    @Test
    @DisplayName("a bad setting is refused, naming the setting and the value")
    void refused() {
      assertThatThrownBy(() -> RetryPolicy.withBudget(Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("budget"));
      assertThatThrownBy(() -> policy.backoff(Duration.ofMillis(5), Duration.ofMillis(1)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("maxBackoff"));
      assertThatThrownBy(() -> policy.immediateRetries(-1))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("immediateRetries"));
    }
  }

  /** A store whose commits fail with {@code failure} the first {@code failures} times. */
  private static final class FailingStore extends ForwardingStore {
    private final RuntimeException failure;
    private int failures;
    final AtomicInteger commits = new AtomicInteger();

    FailingStore(RuntimeException failure, int failures) {
      this.failure = failure;
      this.failures = failures;
    }

    @Override
    public void commit(ChangeSet changes) {
      commits.incrementAndGet();
      if (failures-- > 0) {
        throw failure;
      }
      super.commit(changes);
    }
  }

  private static final RetryPolicy SHORT =
      RetryPolicy.withBudget(Duration.ofMillis(200))
          .backoff(Duration.ofMillis(1), Duration.ofMillis(5));

  private static Integer commitCounter(Storage storage) {
    storage.commit(ChangeSet.create().insert(RecordType.COUNTER, new CounterRecord("c", 1, 1)));
    return 1;
  }

  @Test
  @DisplayName("conflicts are retried until the commit goes through")
  void conflict_retried() {
    FailingStore store =
        new FailingStore(new StoreConflictException(RecordType.COUNTER, "c", "raced"), 7);
    Storage storage = new Storage(store, SHORT);

    assertThat(storage.retrying("count", () -> commitCounter(storage))).isEqualTo(1);
    assertThat(store.commits).hasValue(8);
  }

  @Test
  @DisplayName("a store that stays in conflict past the budget ends in a ConflictException")
  void conflict_givenUp() {
    FailingStore store =
        new FailingStore(
            new StoreConflictException(RecordType.COUNTER, "c", "raced"), Integer.MAX_VALUE);
    Storage storage = new Storage(store, SHORT);

    assertThatThrownBy(() -> storage.retrying("count", () -> commitCounter(storage)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("count kept conflicting")
        .hasCauseInstanceOf(StoreConflictException.class);
    assertThat(store.commits.get()).isGreaterThan(RetryPolicy.DEFAULT_IMMEDIATE_RETRIES);
  }

  @Test
  @DisplayName("an unreachable store is retried within the budget, then its exception is thrown")
  void unavailable() {
    FailingStore recovering = new FailingStore(new StoreUnavailableException("down", null), 3);
    Storage storage = new Storage(recovering, SHORT);
    assertThat(storage.retrying("count", () -> commitCounter(storage))).isEqualTo(1);

    FailingStore down =
        new FailingStore(new StoreUnavailableException("down", null), Integer.MAX_VALUE);
    Storage failing = new Storage(down, SHORT);
    assertThatThrownBy(() -> failing.retrying("count", () -> commitCounter(failing)))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  @DisplayName("a commit of unknown outcome, or any other failure, is never retried")
  void notRetried() {
    FailingStore unknown = new FailingStore(new CommitOutcomeUnknownException("broke", null), 1);
    Storage storage = new Storage(unknown, SHORT);
    assertThatThrownBy(() -> storage.retrying("count", () -> commitCounter(storage)))
        .isInstanceOf(CommitOutcomeUnknownException.class);
    assertThat(unknown.commits).hasValue(1);

    FailingStore broken = new FailingStore(new NullPointerException("bug"), 1);
    Storage buggy = new Storage(broken, SHORT);
    assertThatThrownBy(() -> buggy.retrying("count", () -> commitCounter(buggy)))
        .isInstanceOf(NullPointerException.class);
    assertThat(broken.commits).hasValue(1);
  }

  @Test
  @DisplayName("retrying inside an attempt joins the outer attempt, which retries the whole")
  void nested() {
    FailingStore store =
        new FailingStore(new StoreConflictException(RecordType.COUNTER, "c", "raced"), 2);
    Storage storage = new Storage(store, SHORT);
    AtomicInteger outerAttempts = new AtomicInteger();

    int result =
        storage.retrying(
            "outer",
            () -> {
              outerAttempts.incrementAndGet();
              return storage.retrying("inner", () -> commitCounter(storage));
            });

    assertThat(result).isEqualTo(1);
    assertThat(outerAttempts).hasValue(3);
  }
}
