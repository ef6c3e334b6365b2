package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.UpdraftException;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoreUnavailableException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's access to the store: reads, paged listings, and commits retried on conflict. */
final class Storage {
  private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

  private static final int BATCH = 512;

  final UpdraftStore store;
  private final RetryPolicy policy;

  /**
   * What an attempt of {@link #retrying} read, in reading order, so that an attempt that fails on
   * what it read can tell a stale read from a real refusal. A list, not a map: reads are on the hot
   * path, the check only after a refusal.
   */
  private final ThreadLocal<List<Read>> reads = new ThreadLocal<>();

  /** Within {@link #retrying}, the number of the attempt running on this thread, from 1. */
  private final ThreadLocal<int[]> attempt = ThreadLocal.withInitial(() -> new int[1]);

  /**
   * A read: the record found ({@code null} when absent) and the key it was read under, which a scan
   * leaves {@code null} because the record has it (made only if a check needs it).
   *
   * @param type the record type
   * @param record the record
   */
  private record Read(RecordType<?> type, @Nullable String keyRead, @Nullable StoredRecord record) {
    String key() {
      return keyRead != null ? keyRead : record.key();
    }

    long version() {
      return record == null ? 0 : record.version();
    }
  }

  /** Commits that appended events, counted to apply the feed's retention now and then. */
  private final AtomicLong appending = new AtomicLong();

  /** How many of the newest events the feed keeps at least (see {@link #retainEvents}). */
  private final long retention;

  Storage(UpdraftStore store, RetryPolicy policy) {
    this(store, policy, Updraft.Builder.DEFAULT_RETENTION);
  }

  /**
   * A storage whose event feed keeps the newest {@code retention} events: it applies the retention
   * after every {@value #RETAIN_EVERY}th commit that appended events, so that the feed stays
   * bounded whether or not anyone reads it, and when the feed is read ({@link
   * #retainEvents(EventPage)}).
   */
  Storage(UpdraftStore store, RetryPolicy policy, long retention) {
    this.store = store;
    this.policy = policy;
    this.retention = retention;
  }

  /** How many commits with events go between two applications of the feed's retention. */
  static final int RETAIN_EVERY = 1024;

  <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key) {
    Optional<R> record = store.get(type, key);
    remember(new Read(type, key, record.orElse(null)));
    return record;
  }

  private void remember(Read read) {
    List<Read> attempt = reads.get();
    if (attempt != null) {
      attempt.add(read);
    }
  }

  /** Whether every record the current attempt read is still at the version it read. */
  private boolean readsStillCurrent() {
    for (Read read : reads.get()) {
      long now = store.get(read.type(), read.key()).map(StoredRecord::version).orElse(0L);
      if (now != read.version()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every record of one partition, in index order.
   *
   * @param index the index
   * @param partition the partition of the index
   */
  <R extends StoredRecord> List<R> scanAll(Index<R> index, String partition) {
    return scanAll(index, partition, Optional.empty());
  }

  /**
   * The records of one partition whose sort key is {@code from} or after it, in index order.
   *
   * @param index the index
   * @param partition the partition of the index
   * @param from the status before
   */
  <R extends StoredRecord> List<R> scanFrom(Index<R> index, String partition, String from) {
    // every record key sorts after the empty one
    return scanAll(index, partition, Optional.of(new Cursor(from, "").encode()));
  }

  private <R extends StoredRecord> List<R> scanAll(
      Index<R> index, String partition, Optional<String> from) {
    List<R> all = new ArrayList<>();
    Optional<String> after = from;
    do {
      Page<R> page = store.scan(index, partition, after, BATCH);
      for (R record : page.items()) {
        remember(new Read(index.type(), null, record));
      }
      all.addAll(page.items());
      after = page.next();
    } while (after.isPresent());
    return all;
  }

  /**
   * A page of the values of one partition's records that pass {@code keep}; reads on in batches
   * until the page is full or the partition ends.
   *
   * @param index the index
   * @param partition the partition of the index
   * @param request what to create: name, release, target, options
   */
  <R extends StoredRecord, T> ResultPage<T> page(
      Index<R> index,
      String partition,
      Function<R, T> map,
      Predicate<T> keep,
      PageRequest request) {
    int limit = request.limit();
    List<T> items = new ArrayList<>();
    Optional<String> after = request.cursor();
    after.ifPresent(Storage::checkCursor);
    while (true) {
      Page<R> page = store.scan(index, partition, after, BATCH);
      for (R record : page.items()) {
        T value = map.apply(record);
        if (keep.test(value)) {
          items.add(value);
          if (items.size() == limit) {
            return ResultPage.of(
                items, Optional.of(new Cursor(index.sortKeyOf(record), record.key()).encode()));
          }
        }
      }
      if (page.next().isEmpty()) {
        return ResultPage.of(items, Optional.empty());
      }
      after = page.next();
    }
  }

  void commit(ChangeSet changes) {
    if (changes.isEmpty()) {
      return;
    }
    store.commit(changes);
    if (!changes.events().isEmpty() && appending.incrementAndGet() % RETAIN_EVERY == 0) {
      retainEvents(store.events(Long.MAX_VALUE - 1, 1));
    }
  }

  /**
   * Removes the oldest events when the feed, with the bounds of {@code page}, holds more than its
   * retention and a tenth more: down to the retention.
   */
  void retainEvents(EventPage page) {
    if (page.last() - page.oldest() + 1 > retention + retention / 10) {
      store.trimEvents(page.last() - retention);
    }
  }

  /**
   * Runs {@code attempt} (read, decide, commit) until it commits, as the retry policy allows. Every
   * attempt reads afresh, so the decision is always made on what the winning commit left. Reads are
   * not a snapshot: an attempt refused by the domain (an {@link UpdraftException}, or the {@link
   * IllegalStateException} of a value that would break its invariant, such as a statistic going
   * below zero) on an inconsistent mix of records (one read before a concurrent commit, one after)
   * is retried too, when any record it read has changed since; a refusal on current records is the
   * caller's. A store that cannot be reached is retried within the budget; any other failure, a
   * {@link dev.updraft.spi.CommitOutcomeUnknownException} among them, goes to the caller at once.
   * Called within an attempt, it runs {@code attempt} as part of the outer one, which retries the
   * whole.
   */
  <T> T retrying(String operation, Supplier<T> attempt) {
    if (reads.get() != null) {
      return attempt.get();
    }
    long start = System.nanoTime();
    long budget = policy.budget().toNanos();
    for (int retry = 1; ; retry++) {
      RuntimeException failure;
      reads.set(new ArrayList<>());
      this.attempt.get()[0] = retry;
      try {
        return attempt.get();
      } catch (StoreConflictException | StoreUnavailableException transientFailure) {
        failure = transientFailure;
      } catch (UpdraftException | IllegalStateException refusal) {
        if (readsStillCurrent()) {
          throw refusal;
        }
        failure = refusal;
      } finally {
        reads.remove();
        this.attempt.get()[0] = 0;
      }
      Duration wait = policy.backoff(retry);
      if (System.nanoTime() - start + wait.toNanos() > budget) {
        throw givenUp(operation, retry, failure);
      }
      if (!wait.isZero()) {
        sleep(wait, operation, failure);
      }
    }
  }

  /**
   * {@return whether this thread runs the first attempt of an operation} A record a node keeps may
   * stand in for a read on a first attempt only: a commit the kept record misled conflicts, and the
   * retry reads afresh.
   */
  boolean firstAttempt() {
    return attempt.get()[0] == 1;
  }

  private RuntimeException givenUp(String operation, int attempts, RuntimeException last) {
    LOG.warn(
        "{} gave up after {} attempts in its {} budget: {}",
        operation,
        attempts,
        policy.budget(),
        last.getMessage());
    if (last instanceof StoreConflictException conflict) {
      ConflictException givenUp =
          new ConflictException(
              conflict.recordType(),
              conflict.key(),
              operation + " kept conflicting with concurrent writes");
      givenUp.initCause(conflict);
      return givenUp;
    }
    return last;
  }

  private static void sleep(Duration wait, String operation, RuntimeException failure) {
    try {
      Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
      LOG.debug("{} interrupted while waiting to retry", operation);
      throw failure;
    }
  }

  /**
   * Refuses a cursor no listing made, before a store sees it.
   *
   * @param cursor a cursor a previous page gave
   */
  static void checkCursor(String cursor) {
    try {
      Cursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      InvalidInputException refused =
          new InvalidInputException("cursor", cursor, "is not a cursor of an Updraft listing");
      refused.initCause(e);
      throw refused;
    }
  }
}
