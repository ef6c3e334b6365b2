package dev.updraft.spi.memory;

import dev.updraft.spi.Cursor;
import java.util.Arrays;
import java.util.Iterator;
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
 * while it holds at most {@code limit} of them (a search reads the array and one entry per step),
 * each change replacing the array whole, and moves them to a concurrent skip list when it grows
 * past that, for good.
 *
 * <p>Commits change a partition holding the stripe locks of their records only, so two commits of
 * records on different stripes may change one partition at once: changes to the array, and the
 * move, are made under the partition's monitor; the skip list takes concurrent changes itself.
 * Readers take no lock: they read the skip list, or the array as it was at some moment. A removed
 * entry is marked by its remover ({@link InMemoryStore.Entry#removed}), so a reader holding an
 * array from before the removal skips it.
 */
final class Partition {
  /** The most entries kept in an array: a change copies at most this many references. */
  static final int PACKED_LIMIT = 128;

  private static final InMemoryStore.Entry[] NONE = {};

  private final int limit;

  /** The entries while {@link #tree} is null, sorted; never modified, only replaced. */
  private volatile InMemoryStore.Entry[] packed = NONE;

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
          InMemoryStore.Entry[] current = packed;
          int found = search(current, entry.sortKey, entry.key);
          if (found >= 0) {
            InMemoryStore.Entry[] changed = current.clone();
            changed[found] = entry;
            packed = changed;
          } else if (current.length < limit) {
            int at = -found - 1;
            InMemoryStore.Entry[] grown = new InMemoryStore.Entry[current.length + 1];
            System.arraycopy(current, 0, grown, 0, at);
            grown[at] = entry;
            System.arraycopy(current, at, grown, at + 1, current.length - at);
            packed = grown;
          } else {
            ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> moved =
                new ConcurrentSkipListMap<>();
            for (InMemoryStore.Entry kept : current) {
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
          InMemoryStore.Entry[] current = packed;
          int found = search(current, sortKey, key);
          if (found < 0) {
            return null;
          }
          InMemoryStore.Entry[] shrunk = new InMemoryStore.Entry[current.length - 1];
          System.arraycopy(current, 0, shrunk, 0, found);
          System.arraycopy(current, found + 1, shrunk, found, shrunk.length - found);
          packed = shrunk;
          return current[found];
        }
      }
    }
    return entries.remove(new Cursor(sortKey, key));
  }

  /**
   * The entries after {@code after} (all of them when null), in order: as they are, for a partition
   * in a skip list, or as they were when the scan began, for one in an array.
   */
  Iterator<InMemoryStore.Entry> after(@Nullable Cursor after) {
    ConcurrentSkipListMap<Cursor, InMemoryStore.Entry> entries = tree;
    if (entries != null) {
      return (after == null ? entries : entries.tailMap(after, false)).values().iterator();
    }
    InMemoryStore.Entry[] current = packed;
    int from = 0;
    if (after != null) {
      int found = search(current, after.sortKey(), after.recordKey());
      from = found >= 0 ? found + 1 : -found - 1;
    }
    return Arrays.asList(current).subList(from, current.length).iterator();
  }

  /**
   * The position of the entry at {@code (sortKey, key)} in {@code entries}, or {@code -(insertion
   * point) - 1} when there is none, as {@link Arrays#binarySearch} answers.
   */
  private static int search(InMemoryStore.Entry[] entries, String sortKey, String key) {
    int low = 0;
    int high = entries.length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      InMemoryStore.Entry entry = entries[middle];
      int order = entry.sortKey.compareTo(sortKey);
      if (order == 0) {
        order = entry.key.compareTo(key);
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
