package dev.updraft.spi.memory;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The reference {@link UpdraftStore}, in memory: a real store, not a mock. Records are immutable,
 * so nothing is aliased; commits lock only the records they name (striped locks taken in a fixed
 * order, so there is no global lock and no deadlock), check every expectation, then apply records
 * and indexes. Each index partition is kept sorted (a {@link Partition}), so a scan is a range read
 * and a poll never walks all records. Target records, most of a fleet's records, are kept apart in
 * a compact {@link TargetTable} that serves {@link Index#TARGETS_BY_DEVICE} too.
 *
 * <p>A read never sees half a commit: a commit write-locks the stripes of all its records before it
 * changes any and unlocks them after the last, and a read of a record is an optimistic read of its
 * stripe's {@link StampedLock}, validated afterwards (falling back to the read lock only when a
 * commit was under way). Readers write no shared memory, so reads on several cores do not contend.
 * An index entry holds its record's slot, which the table holds too, and both change by commits
 * under the record's stripe lock, so a scan reads each entry the same way, with no lookup in the
 * table, and never returns a record under an entry it no longer has; a commit that leaves a
 * record's entries in place updates its slot only, without searching the indexes.
 */
public final class InMemoryStore implements UpdraftStore {
  private static final int STRIPES = 1024;

  private final Map<RecordType<?>, Map<String, Slot>> tables = new ConcurrentHashMap<>();

  /** Per index and partition: the entries, by cursor. */
  private final Map<Index<?>, Map<String, Partition>> indexes = new ConcurrentHashMap<>();

  /**
   * One copy of each sort key of the indexes that {@link Index#sharesSortKeys share} them: a
   * fleet's device deployments then hold a deployment's creation order once, not once each (20
   * million copies in the benchmark's fleet), and the search of a device's history compares keys
   * that other devices' searches keep in the cache. One per deployment with device deployments.
   */
  private final Map<String, String> sharedSortKeys = new ConcurrentHashMap<>();

  /** The target records and {@link Index#TARGETS_BY_DEVICE}, kept compactly. */
  private final TargetTable targets = new TargetTable();

  private final StampedLock[] locks = new StampedLock[STRIPES];

  /** The event feed; absent in a copy made by {@link #holding}, whose source keeps the feed. */
  private final Optional<Feed> feed;

  /** An empty store. */
  public InMemoryStore() {
    this(Optional.of(new Feed()));
  }

  private InMemoryStore(Optional<Feed> feed) {
    this.feed = feed;
    RecordType.ALL.forEach(type -> tables.put(type, new ConcurrentHashMap<>()));
    Index.ALL.stream()
        .filter(index -> !index.equals(Index.TARGETS_BY_DEVICE))
        .forEach(index -> indexes.put(index, new ConcurrentHashMap<>()));
    Arrays.setAll(locks, i -> new StampedLock());
  }

  /**
   * @param type the record type
   * @param key the record's key
   */
  @Override
  public <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key) {
    return Optional.ofNullable(read(type, key, () -> stored(type, key))).map(type::cast);
  }

  /**
   * {@code read} as of a moment when no commit was changing the record under {@code (type, key)}:
   * an optimistic read of its stripe, repeated under the read lock if a commit was under way. A
   * {@code read} must be safe to run concurrently with a commit (it reads concurrent maps and
   * immutable values only).
   *
   * @param type the record type
   * @param key the record's key
   */
  private <T> T read(RecordType<?> type, String key, Supplier<T> read) {
    StampedLock lock = locks[stripe(type, key)];
    long stamp = lock.tryOptimisticRead();
    T value = read.get();
    if (lock.validate(stamp)) {
      return value;
    }
    stamp = lock.readLock();
    try {
      return read.get();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /**
   * The record stored under {@code (type, key)}, or null.
   *
   * @param type the record type
   * @param key the record's key
   */
  private StoredRecord stored(RecordType<?> type, String key) {
    if (type.equals(RecordType.TARGET)) {
      return targets.get(key);
    }
    Slot slot = tables.get(type).get(key);
    return slot == null ? null : slot.record;
  }

  /**
   * @param index the index
   * @param partition the partition of the index
   * @param after the cursor of the last record of the previous page, absent for the first
   * @param limit the most records to read
   */
  @Override
  public <R extends StoredRecord> Page<R> scan(
      Index<R> index, String partition, Optional<String> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (index.equals(Index.TARGETS_BY_DEVICE)) {
      return scanTargets(index, partition, after, limit);
    }
    Partition entries = indexes.get(index).get(partition);
    if (entries == null) {
      return new Page<>(List.of(), Optional.empty());
    }
    Iterator<Entry> from = entries.after(after.map(Cursor::decode).orElse(null));
    List<R> items = new ArrayList<>(Math.min(limit, 64));
    Entry last = null;
    while (from.hasNext()) {
      Entry entry = from.next();
      if (items.size() == limit) {
        return new Page<>(items, Optional.of(last.cursor().encode()));
      }
      StoredRecord record = entry.current(locks[entry.stripe]);
      if (record != null) {
        items.add(index.type().cast(record));
        last = entry;
      }
    }
    return new Page<>(items, Optional.empty());
  }

  private <R extends StoredRecord> Page<R> scanTargets(
      Index<R> index, String deviceId, Optional<String> after, int limit) {
    String[] deployments = consistentTargets(deviceId);
    int from = after.map(a -> TargetTable.after(deployments, deviceId, Cursor.decode(a))).orElse(0);
    List<R> items = new ArrayList<>(Math.min(limit, deployments.length - from));
    for (int i = from; i < deployments.length; i++) {
      if (items.size() == limit) {
        TargetRecord last = (TargetRecord) items.get(limit - 1);
        return new Page<>(items, Optional.of(new Cursor(last.deploymentId(), last.key()).encode()));
      }
      items.add(index.type().cast(targets.stored(deployments[i], deviceId)));
    }
    return new Page<>(items, Optional.empty());
  }

  /**
   * The ids of the deployments targeting {@code deviceId}, as of a moment no commit was changing
   * any of those targets. Optimistically: the device's array, then a stamp of each target's stripe,
   * then the array again; if it is the same array and no stripe was or became write-locked, it is
   * committed state (a commit changing a target holds its stripe from before it replaces the array
   * to after). Otherwise the targets are read one by one, each under its stripe, as a record is.
   *
   * @param deviceId the device's id
   */
  private String[] consistentTargets(String deviceId) {
    String[] deployments = targets.deploymentsOf(deviceId);
    long[] stamps = new long[deployments.length];
    int[] stripes = new int[deployments.length];
    boolean quiet = true;
    for (int i = 0; i < deployments.length && quiet; i++) {
      stripes[i] = stripe(RecordType.TARGET, deployments[i], deviceId);
      stamps[i] = locks[stripes[i]].tryOptimisticRead();
      quiet = stamps[i] != 0;
    }
    if (quiet && targets.deploymentsOf(deviceId) == deployments) {
      for (int i = 0; i < deployments.length && quiet; i++) {
        quiet = locks[stripes[i]].validate(stamps[i]);
      }
      if (quiet) {
        return deployments;
      }
    }
    List<String> present = new ArrayList<>(deployments.length);
    for (String deploymentId : deployments) {
      TargetRecord target =
          read(
              RecordType.TARGET,
              DeviceDeploymentRecord.keyOf(deploymentId, deviceId),
              () -> targets.get(deploymentId, deviceId));
      if (target != null) {
        present.add(deploymentId);
      }
    }
    return present.toArray(String[]::new);
  }

  /**
   * @param changeSet the change set
   */
  @Override
  public void commit(ChangeSet changeSet) {
    List<ChangeSet.Change> changes = changeSet.changes();
    // each record's key, built once (a device deployment builds its key on every call); none for
    // a target, which is found by its ids
    String[] keys = new String[changes.size()];
    for (int i = 0; i < keys.length; i++) {
      StoredRecord record = changes.get(i).record();
      keys[i] = record instanceof TargetRecord ? null : record.key();
    }
    int[] stripes = stripes(changes, keys);
    long[] stamps = new long[stripes.length];
    for (int i = 0; i < stripes.length; i++) {
      stamps[i] = locks[stripes[i]].writeLock();
    }
    try {
      for (int i = 0; i < keys.length; i++) {
        check(changes.get(i), keys[i]);
      }
      for (int i = 0; i < keys.length; i++) {
        apply(changes.get(i), keys[i]);
      }
      // under the records' locks: a commit that reads them next appends after these
      if (feed.isPresent()) {
        feed.get().append(changeSet.events());
      }
    } finally {
      for (int i = stripes.length - 1; i >= 0; i--) {
        locks[stripes[i]].unlockWrite(stamps[i]);
      }
    }
  }

  /**
   * @param after the last position read, 0 for the start
   * @param limit 1 or more
   */
  @Override
  public EventPage events(long after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return feed.map(f -> f.read(after, limit)).orElse(new EventPage(List.of(), 1, 0));
  }

  /**
   * @param through the last position to remove
   */
  @Override
  public void trimEvents(long through) {
    feed.ifPresent(f -> f.trim(through));
  }

  /** One record to hold as stored, at its own version: see {@link #holding}. */
  public record Held<R extends StoredRecord>(RecordType<R> type, R record) {}

  /**
   * {@return a store holding {@code records} as stored, each at its own version (a commit inserts
   * at version 1 only): for a store that keeps in memory a copy of records held elsewhere, as the
   * JDBC store does of an embedded H2 database} Later commits see them as they see committed
   * records. Devices must come before the targets that name them. The copy keeps no event feed (the
   * database holds it): events its commits append are not kept, and its feed is always empty.
   *
   * @param records the device's device deployments
   * @throws StoreConflictException when two records of one type share a key
   */
  public static InMemoryStore holding(Iterable<Held<?>> records) {
    InMemoryStore store = new InMemoryStore(Optional.empty());
    for (Held<?> held : records) {
      store.restore(held);
    }
    return store;
  }

  private <R extends StoredRecord> void restore(Held<R> held) {
    restore(held.type(), held.record());
  }

  /**
   * Adds {@code record} as stored at its own version; a record with its key is a conflict.
   *
   * @param type the record type
   * @param record the record
   */
  <R extends StoredRecord> void restore(RecordType<R> type, R record) {
    ChangeSet.Change change =
        new ChangeSet.Change(ChangeSet.Kind.INSERT, type, record, Optional.empty());
    String key = record.key();
    StampedLock lock = locks[stripe(type, key)];
    long stamp = lock.writeLock();
    try {
      check(change, key);
      apply(change, key);
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Checks {@code change} against what is stored; {@code key} is its record's (unused for a
   * target).
   *
   * @param key the record's key
   */
  private void check(ChangeSet.Change change, @Nullable String key) {
    StoredRecord stored =
        change.record() instanceof TargetRecord target
            ? targets.underKeyOf(target)
            : stored(change.type(), key);
    switch (change.kind()) {
      case INSERT -> {
        if (stored != null) {
          throw new StoreConflictException(change.type(), change.record().key(), "exists");
        }
      }
      case UPDATE, DELETE, CHECK -> {
        if (stored == null) {
          throw new StoreConflictException(change.type(), change.record().key(), "does not exist");
        }
        if (stored.version() != change.expectedVersion()) {
          throw new StoreConflictException(
              change.type(),
              change.record().key(),
              "is at version " + stored.version() + ", not " + change.expectedVersion());
        }
      }
    }
  }

  /**
   * Applies {@code change}; {@code key} is its record's (unused for a target).
   *
   * @param key the record's key
   */
  private void apply(ChangeSet.Change change, @Nullable String key) {
    if (change.kind() == ChangeSet.Kind.CHECK) {
      return;
    }
    if (change.record() instanceof TargetRecord changed) {
      TargetRecord previous = targets.underKeyOf(changed);
      if (change.kind() == ChangeSet.Kind.DELETE) {
        targets.remove(previous);
      } else {
        TargetRecord target = (TargetRecord) change.record();
        DeviceRecord device = (DeviceRecord) stored(RecordType.DEVICE, target.deviceId());
        targets.put(previous, target, device == null ? target.deviceId() : device.id());
      }
      return;
    }
    Map<String, Slot> table = tables.get(change.type());
    Slot slot = table.get(key);
    StoredRecord previous = slot == null ? null : slot.record;
    StoredRecord next = change.kind() == ChangeSet.Kind.DELETE ? null : change.record();
    if (next == null) {
      table.remove(key);
    } else if (slot == null) {
      slot = new Slot(next);
      table.put(key, slot);
    } else {
      slot.record = next;
    }
    for (Index<?> index : Index.ALL) {
      if (index.type().equals(change.type())) {
        reindex(index, key, stripe(change.type(), key), previous, next, slot);
      }
    }
  }

  /**
   * Moves the index entries of the record under {@code key} from its previous state to its new one:
   * an entry whose partition and sort key stay is left as it is (it reads the record's {@code
   * slot}, already updated: no search of the partition); the others are removed, then marked
   * removed, and new ones added. New entries share the table's key string: a store of millions of
   * records keeps it once.
   *
   * @param index the index
   * @param key the record's key
   * @param next the cursor of the next page, if any
   */
  private <R extends StoredRecord> void reindex(
      Index<R> index, String key, int stripe, StoredRecord previous, StoredRecord next, Slot slot) {
    Collection<String> nextPartitions =
        next == null ? List.of() : index.partitionsOf(index.type().cast(next));
    Collection<String> previousPartitions =
        previous == null ? List.of() : index.partitionsOf(index.type().cast(previous));
    if (nextPartitions.isEmpty() && previousPartitions.isEmpty()) {
      return; // e.g. a static deployment and the index of dynamic ones: no sort key to compute
    }
    Map<String, Partition> partitions = indexes.get(index);
    String placed = next == null ? null : index.sortKeyOf(index.type().cast(next));
    Collection<String> kept = new ArrayList<>(1);
    if (previous != null) {
      String was = index.sortKeyOf(index.type().cast(previous));
      for (String partition : previousPartitions) {
        if (was.equals(placed) && nextPartitions.contains(partition)) {
          kept.add(partition);
          continue;
        }
        Partition entries = partitions.get(partition);
        Entry entry = entries == null ? null : entries.remove(was, key);
        if (entry != null) {
          entry.removed = true;
        }
      }
    }
    for (String partition : nextPartitions) {
      if (!kept.contains(partition)) {
        String sortKey =
            index.sharesSortKeys() ? sharedSortKeys.computeIfAbsent(placed, k -> k) : placed;
        partitions
            .computeIfAbsent(partition, p -> new Partition(Partition.PACKED_LIMIT))
            .add(new Entry(sortKey, key, stripe, slot));
      }
    }
  }

  /**
   * A stored record's current state, held by its table and by each of its index entries, so that a
   * commit that leaves an entry in its place changes the record once, here, and searches no index
   * for it. A commit changes it only while holding the write lock of the record's stripe.
   */
  static final class Slot {
    StoredRecord record;

    Slot(StoredRecord record) {
      this.record = record;
    }
  }

  /**
   * An index entry. It lives as long as its place in the partition; a commit changes its slot and
   * its mark only while holding the write lock of its record's stripe, so a reader that validates
   * an optimistic read of that stripe sees a committed state of both.
   */
  static final class Entry {
    final String sortKey;

    /** The record's key. */
    final String key;

    final int stripe;
    final Slot slot;

    /** Set when the record left this place (it is removed from the partition first). */
    boolean removed;

    Entry(String sortKey, String key, int stripe, Slot slot) {
      this.sortKey = sortKey;
      this.key = key;
      this.stripe = stripe;
      this.slot = slot;
    }

    Cursor cursor() {
      return new Cursor(sortKey, key);
    }

    /** The record, if the entry is still in place: as of a moment no commit was changing it. */
    StoredRecord current(StampedLock lock) {
      long stamp = lock.tryOptimisticRead();
      StoredRecord current = removed ? null : slot.record;
      if (lock.validate(stamp)) {
        return current;
      }
      stamp = lock.readLock();
      try {
        return removed ? null : slot.record;
      } finally {
        lock.unlockRead(stamp);
      }
    }
  }

  /**
   * The distinct stripes of the changes' records, ascending: the order locks are taken in.
   *
   * @param changes the change set
   */
  private static int[] stripes(List<ChangeSet.Change> changes, @Nullable String[] keys) {
    int[] stripes = new int[changes.size()];
    for (int i = 0; i < stripes.length; i++) {
      ChangeSet.Change change = changes.get(i);
      stripes[i] =
          change.record() instanceof TargetRecord target
              ? stripe(change.type(), target.deploymentId(), target.deviceId())
              : stripe(change.type(), keys[i]);
    }
    Arrays.sort(stripes);
    int distinct = 0;
    for (int i = 0; i < stripes.length; i++) {
      if (i == 0 || stripes[i] != stripes[i - 1]) {
        stripes[distinct++] = stripes[i];
      }
    }
    return Arrays.copyOf(stripes, distinct);
  }

  static int stripe(RecordType<?> type, String key) {
    return stripe(type, key.hashCode());
  }

  /**
   * The stripe of the target key {@code deploymentId/deviceId}, without building the key: a
   * string's hash is {@code h(a + b) = h(a) * 31^length(b) + h(b)}, and both ids cache their own.
   *
   * @param type the record type
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  static int stripe(RecordType<?> type, String deploymentId, String deviceId) {
    int tail = '/' * powerOf31(deviceId.length()) + deviceId.hashCode();
    return stripe(type, deploymentId.hashCode() * powerOf31(deviceId.length() + 1) + tail);
  }

  /** 31 to the power {@code n}, modulo 2^32 as {@link String#hashCode} computes it. */
  private static int powerOf31(int n) {
    int power = 1;
    int base = 31;
    for (int exponent = n; exponent > 0; exponent >>= 1) {
      if ((exponent & 1) != 0) {
        power *= base;
      }
      base *= base;
    }
    return power;
  }

  private static int stripe(RecordType<?> type, int keyHash) {
    return Math.floorMod(31 * type.name().hashCode() + keyHash, STRIPES);
  }
}
