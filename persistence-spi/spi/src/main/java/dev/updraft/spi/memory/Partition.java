package dev.updraft.spi.memory;

import dev.updraft.spi.Cursor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * One partition of an {@link InMemoryStore} index: its entries in cursor order (sort key, then
 * record key).
 *
 * <p>Most partitions are small (a device's device deployments: tens), and a skip list's search
 * visits an index node, a node, a key and the key's string at every step, each somewhere else in a
 * heap of millions of records: cold memory, which made the search of a device's history the largest
 * cost of a poll that starts a deployment. So a partition keeps its entries in one sorted array
 * while it holds at most {@code limit} of them, each change replacing the array whole, and moves
 * them to a concurrent skip list when it grows past that, for good. The array holds each entry's
 * sort key beside it, so a search reads the array and the keys only: an index whose sort keys are
 * shared (a deployment's creation order, in every device's history) finds them in the cache, where
 * the entries, each made at another time, lie all over the heap.
 *
 * <p>Commits change a partition holding the stripe locks of their records only, so two commits of
 * records on different stripes may change one partition at once: changes to the array, and the
 * move, are made under the partition's monitor; the skip list takes concurrent changes itself.
 * Readers take no lock: they read the skip list, or the array as it was at some moment. A removed
 * entry is marked by its remover ({@link InMemoryStore.Entry#removed}), so a reader holding an
 * array from before the removal skips it.
 */
final class Partition {
  /** The most entries kept in an array: a change copies at most twice this many references. */
  static final int PACKED_LIMIT = 128;

  private static final Object[] NONE = {};

  private final int limit;

  /**
   * The entries while {@link #tree} is null, sorted, each after its sort key: {@code sortKey0,
   * entry0, sortKey1, entry1, …}. Never modified, only replaced.
   */
  private volatile Object[] packed = NONE;

  /** The entries once the partition has outgrown {@link #limit}; {@link #packed} is then unused. */
  private volatile @Nullable ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> tree;

  Partition(int limit) {
    this.limit = limit;
  }

  /** Adds {@code entry}, in place of an entry with its cursor if there is one. */
  void add(InMemoryStore.Entry entry) {
    ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> entries = tree;
    if (entries == null) {
      synchronized (this) {
        entries = tree;
        if (entries == null) {
          Object[] current = packed;
          int found = search(current, entry.sortKey, entry.key);
          if (found >= 0) {
            Object[] changed = current.clone();
            changed[2 * found + 1] = entry;
            packed = changed;
          } else if (current.length < 2 * limit) {
            int at = 2 * (-found - 1);
            Object[] grown = new Object[current.length + 2];
            System.arraycopy(current, 0, grown, 0, at);
            grown[at] = entry.sortKey;
            grown[at + 1] = entry;
            System.arraycopy(current, at, grown, at + 2, current.length - at);
            packed = grown;
          } else {
            ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> moved =
                new ConcurrentSkipListMap<>();
            for (int i = 1; i < current.length; i += 2) {
              InMemoryStore.Entry kept = (InMemoryStore.Entry) current[i];
              moved.put(kept.cursor(), kept);
            }
            moved.put(entry.cursor(), entry);
            tree = moved;
          }
          return;
        }
      }
    }
    entries.put(entry.cursor(), entry);
  }

  /** Removes the entry at {@code (sortKey, key)} and returns it; null when there is none. */
  InMemoryStore.@Nullable Entry remove(String sortKey, String key) {
    ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> entries = tree;
    if (entries == null) {
      synchronized (this) {
        entries = tree;
        if (entries == null) {
          Object[] current = packed;
          int found = search(current, sortKey, key);
          if (found < 0) {
            return null;
          }
          int at = 2 * found;
          Object[] shrunk = new Object[current.length - 2];
          System.arraycopy(current, 0, shrunk, 0, at);
          System.arraycopy(current, at + 2, shrunk, at, shrunk.length - at);
          packed = shrunk;
          return (InMemoryStore.Entry) current[at + 1];
        }
      }
    }
    return entries.remove(new Cursor(sortKey, key));
  }

  /**
   * The entries after {@code after} (all of them when null), in order: as they are, for a partition
   * in a skip list, or as they were when the scan began, for one in an array.
   *
   * @param after the cursor of the last record of the previous page, absent for the first
   */
  Iterator<InMemoryStore.Entry> after(@Nullable Cursor after) {
    ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> entries = tree;
    if (entries != null) {
      return (after == null ? entries : entries.tailMap(after, false)).values().iterator();
    }
    Object[] current = packed;
    int first = 0;
    if (after != null) {
      int found = search(current, after.sortKey(), after.recordKey());
      first = found >= 0 ? found + 1 : -found - 1;
    }
    int from = first;
    return new Iterator<>() {
      private int next = from;

      @Override
      public boolean hasNext() {
        return 2 * next < current.length;
      }

      @Override
      public InMemoryStore.Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return (InMemoryStore.Entry) current[2 * next++ + 1];
      }
    };
  }

  /**
   * The position (in entries) of the entry at {@code (sortKey, key)} in a packed array, or {@code
   * -(insertion point) - 1} when there is none, as {@link java.util.Arrays#binarySearch} answers.
   * Reads an entry only when its sort key is {@code sortKey}.
   *
   * @param sortKey the sort key of the last record returned
   * @param key the record's key
   */
  private static int search(Object[] packed, String sortKey, String key) {
    int low = 0;
    int high = packed.length / 2 - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = ((String) packed[2 * middle]).compareTo(sortKey);
      if (order == 0) {
        order = ((InMemoryStore.Entry) packed[2 * middle + 1]).key.compareTo(key);
      }
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -low - 1;
  }
}
