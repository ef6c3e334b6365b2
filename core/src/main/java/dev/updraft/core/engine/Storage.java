package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's access to the store: reads, paged listings, and commits retried on conflict. */
final class Storage {
  private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

  /** Attempts of one operation before a conflict is given up on and reported to the caller. */
  static final int MAX_ATTEMPTS = 200;

  private static final int BATCH = 512;

  final UpdraftStore store;

  /**
   * What an attempt of {@link #retrying} read, in reading order, so that an attempt that fails on
   * what it read can tell a stale read from a real refusal. A list, not a map: reads are on the hot
   * path, the check only after a refusal.
   */
  private final ThreadLocal<List<Read>> reads = new ThreadLocal<>();

  /**
   * A read: the record found ({@code null} when absent) and the key it was read under, which a scan
   * leaves {@code null} because the record has it (made only if a check needs it).
   */
  private record Read(RecordType<?> type, @Nullable String keyRead, @Nullable StoredRecord record) {
    String key() {
      return keyRead != null ? keyRead : record.key();
    }

    long version() {
      return record == null ? 0 : record.version();
    }
  }

  Storage(UpdraftStore store) {
    this.store = store;
  }

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

  /** Every record of one partition, in index order. */
  <R extends StoredRecord> List<R> scanAll(Index<R> index, String partition) {
    return scanAll(index, partition, Optional.empty());
  }

  /** The records of one partition whose sort key is {@code from} or after it, in index order. */
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
   */
  <R extends StoredRecord, T> ResultPage<T> page(
      Index<R> index,
      String partition,
      Function<R, T> map,
      Predicate<T> keep,
      Optional<String> cursor,
      int limit) {
    if (limit < 1) {
      throw new InvalidInputException("limit", limit, "must be at least 1");
    }
    List<T> items = new ArrayList<>();
    Optional<String> after = cursor;
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
    if (!changes.isEmpty()) {
      store.commit(changes);
    }
  }

  /**
   * Runs {@code attempt} (read, decide, commit) until it commits without a conflict. Every attempt
   * reads afresh, so the decision is always made on what the winning commit left. Reads are not a
   * snapshot: an attempt that fails on an inconsistent mix of records (one read before a concurrent
   * commit, one after) is retried too, when any record it read has changed since.
   */
  <T> T retrying(String operation, Supplier<T> attempt) {
    RuntimeException last = null;
    for (int attempts = 1; attempts <= MAX_ATTEMPTS; attempts++) {
      reads.set(new ArrayList<>());
      try {
        return attempt.get();
      } catch (StoreConflictException conflict) {
        last = conflict;
      } catch (RuntimeException refusal) {
        if (readsStillCurrent()) {
          throw refusal;
        }
        last = refusal;
      } finally {
        reads.remove();
      }
      if (attempts % 16 == 0) {
        Thread.yield();
      }
    }
    LOG.warn("{} gave up after {} attempts: {}", operation, MAX_ATTEMPTS, last.getMessage());
    if (last instanceof StoreConflictException conflict) {
      throw new ConflictException(
          conflict.recordType(),
          conflict.key(),
          operation + " kept conflicting with concurrent writes");
    }
    throw last;
  }
}
