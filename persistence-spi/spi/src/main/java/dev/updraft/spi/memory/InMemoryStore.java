package dev.updraft.spi.memory;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The reference {@link UpdraftStore}, in memory: a real store, not a mock. Records are immutable,
 * so nothing is aliased; commits lock only the records they name (striped locks taken in a fixed
 * order, so there is no global lock and no deadlock), check every expectation, then apply records
 * and indexes. Each index partition is a concurrent sorted map, so a scan is a range read and a
 * poll never walks all records.
 *
 * <p>A read never sees half a commit: a commit write-locks the stripes of all its records before it
 * changes any and unlocks them after the last, and a read of a record is an optimistic read of its
 * stripe's {@link StampedLock}, validated afterwards (falling back to the read lock only when a
 * commit was under way). Readers write no shared memory, so reads on several cores do not contend.
 * A scan re-checks each record it returns against the partition and sort key it was found under, so
 * a record changed by a concurrent commit is never returned under an entry it no longer has.
 */
public final class InMemoryStore implements UpdraftStore {
  private static final int STRIPES = 1024;

  private final Map<RecordType<?>, Map<String, StoredRecord>> tables = new ConcurrentHashMap<>();

  /** Per index and partition: each entry's cursor, and the record instance it was made for. */
  private final Map<Index<?>, Map<String, ConcurrentSkipListMap<Cursor, StoredRecord>>> indexes =
      new ConcurrentHashMap<>();

  private final StampedLock[] locks = new StampedLock[STRIPES];

  public InMemoryStore() {
    RecordType.ALL.forEach(type -> tables.put(type, new ConcurrentHashMap<>()));
    Index.ALL.forEach(index -> indexes.put(index, new ConcurrentHashMap<>()));
    Arrays.setAll(locks, i -> new StampedLock());
  }

  @Override
  public <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key) {
    StampedLock lock = locks[stripe(type, key)];
    Map<String, StoredRecord> table = tables.get(type);
    long stamp = lock.tryOptimisticRead();
    StoredRecord record = table.get(key);
    if (!lock.validate(stamp)) {
      stamp = lock.readLock();
      try {
        record = table.get(key);
      } finally {
        lock.unlockRead(stamp);
      }
    }
    return Optional.ofNullable(record).map(type::cast);
  }

  @Override
  public <R extends StoredRecord> Page<R> scan(
      Index<R> index, String partition, Optional<String> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    ConcurrentSkipListMap<Cursor, StoredRecord> entries = indexes.get(index).get(partition);
    if (entries == null) {
      return new Page<>(List.of(), Optional.empty());
    }
    Map<Cursor, StoredRecord> from =
        after.isEmpty() ? entries : entries.tailMap(Cursor.decode(after.get()), false);
    List<R> items = new ArrayList<>(Math.min(limit, 64));
    Cursor last = null;
    for (Map.Entry<Cursor, StoredRecord> entry : from.entrySet()) {
      if (items.size() == limit) {
        return new Page<>(items, Optional.of(last.encode()));
      }
      Optional<R> record = get(index.type(), entry.getKey().recordKey());
      // the stored instance the entry was made for is current: the common case, checked cheaply;
      // else the entry may be stale (a commit in flight), so check it against the record
      if (record.isPresent()
          && (record.get() == entry.getValue()
              || (index.partitionsOf(record.get()).contains(partition)
                  && index.sortKeyOf(record.get()).equals(entry.getKey().sortKey())))) {
        items.add(record.get());
        last = entry.getKey();
      }
    }
    return new Page<>(items, Optional.empty());
  }

  @Override
  public void commit(ChangeSet changeSet) {
    List<ChangeSet.Change> changes = changeSet.changes();
    int[] stripes =
        changes.stream()
            .mapToInt(change -> stripe(change.type(), change.record().key()))
            .distinct()
            .sorted()
            .toArray();
    long[] stamps = new long[stripes.length];
    for (int i = 0; i < stripes.length; i++) {
      stamps[i] = locks[stripes[i]].writeLock();
    }
    try {
      for (ChangeSet.Change change : changes) {
        check(change);
      }
      for (ChangeSet.Change change : changes) {
        apply(change);
      }
    } finally {
      for (int i = stripes.length - 1; i >= 0; i--) {
        locks[stripes[i]].unlockWrite(stamps[i]);
      }
    }
  }

  private void check(ChangeSet.Change change) {
    StoredRecord stored = tables.get(change.type()).get(change.record().key());
    String key = change.record().key();
    switch (change.kind()) {
      case INSERT -> {
        if (stored != null) {
          throw new StoreConflictException(change.type(), key, "exists");
        }
      }
      case UPDATE, DELETE, CHECK -> {
        if (stored == null) {
          throw new StoreConflictException(change.type(), key, "does not exist");
        }
        if (stored.version() != change.expectedVersion()) {
          throw new StoreConflictException(
              change.type(),
              key,
              "is at version " + stored.version() + ", not " + change.expectedVersion());
        }
      }
    }
  }

  private void apply(ChangeSet.Change change) {
    if (change.kind() == ChangeSet.Kind.CHECK) {
      return;
    }
    Map<String, StoredRecord> table = tables.get(change.type());
    String key = change.record().key();
    StoredRecord previous =
        change.kind() == ChangeSet.Kind.DELETE
            ? table.remove(key)
            : table.put(key, change.record());
    for (Index<?> index : Index.ALL) {
      if (index.type().equals(change.type())) {
        reindex(
            index, key, previous, change.kind() == ChangeSet.Kind.DELETE ? null : change.record());
      }
    }
  }

  /**
   * Moves the index entries of the record under {@code key} from its previous state to its new one.
   * New entries share the table's key string: a store of millions of records keeps it once.
   */
  private <R extends StoredRecord> void reindex(
      Index<R> index, String key, StoredRecord previous, StoredRecord next) {
    Map<String, ConcurrentSkipListMap<Cursor, StoredRecord>> partitions = indexes.get(index);
    if (next != null) {
      R record = index.type().cast(next);
      Cursor entry = new Cursor(index.sortKeyOf(record), key);
      for (String partition : index.partitionsOf(record)) {
        partitions
            .computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>())
            .put(entry, record); // an entry kept in place now names the new instance
      }
    }
    if (previous != null) {
      R record = index.type().cast(previous);
      Cursor entry = new Cursor(index.sortKeyOf(record), key);
      Collection<String> kept =
          next == null ? List.of() : index.partitionsOf(index.type().cast(next));
      String keptSortKey = next == null ? null : index.sortKeyOf(index.type().cast(next));
      for (String partition : index.partitionsOf(record)) {
        if (!kept.contains(partition) || !entry.sortKey().equals(keptSortKey)) {
          ConcurrentSkipListMap<Cursor, StoredRecord> entries = partitions.get(partition);
          if (entries != null) {
            entries.remove(entry);
          }
        }
      }
    }
  }

  private static int stripe(RecordType<?> type, String key) {
    return Math.floorMod(31 * type.name().hashCode() + key.hashCode(), STRIPES);
  }
}
