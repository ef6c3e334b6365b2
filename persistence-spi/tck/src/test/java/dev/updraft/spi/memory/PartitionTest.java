package dev.updraft.spi.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.spi.Cursor;
import dev.updraft.spi.TargetRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A partition answers as a sorted map of its entries would, whether it keeps them in an array or
 * has moved them to a skip list, and while several threads change it at once.
 */
class PartitionTest {
  private static final String[] SORT_KEYS = {"", "a", "a0", "b"};
  private static final String[] KEYS = {"k", "k/1", "l"};

  private static InMemoryStore.Entry entry(String sortKey, String key) {
    return new InMemoryStore.Entry(
        sortKey, key, 0, new InMemoryStore.Slot(new TargetRecord("dep", key, 1)));
  }

  /** One change: add (or replace) or remove the entry at a cursor of the small universe above. */
  record Op(boolean add, int sortKey, int key) {
    Cursor cursor() {
      return new Cursor(SORT_KEYS[sortKey], KEYS[key]);
    }
  }

  private static Gen<Op> ops() {
    return integers()
        .between(0, 2)
        .zip(
            integers().between(0, SORT_KEYS.length - 1),
            integers().between(0, KEYS.length - 1),
            (add, sortKey, key) -> new Op(add > 0, sortKey, key));
  }

  @Test
  void answersAsASortedMapAcrossTheMoveToASkipList() {
    qt().forAll(integers().between(1, 6), lists().of(ops()).ofSizeBetween(0, 40))
        .checkAssert(
            (limit, ops) -> {
              Partition partition = new Partition(limit);
              NavigableMap<Cursor, InMemoryStore.Entry> model = new TreeMap<>();
              for (Op op : ops) {
                Cursor cursor = op.cursor();
                if (op.add()) {
                  InMemoryStore.Entry added = entry(cursor.sortKey(), cursor.recordKey());
                  partition.add(added);
                  model.put(cursor, added);
                } else {
                  assertThat(partition.remove(cursor.sortKey(), cursor.recordKey()))
                      .isSameAs(model.remove(cursor));
                }
                assertThat(list(partition.after(null))).containsExactlyElementsOf(model.values());
                for (String sortKey : SORT_KEYS) {
                  for (String key : KEYS) {
                    Cursor after = new Cursor(sortKey, key);
                    assertThat(list(partition.after(after)))
                        .containsExactlyElementsOf(model.tailMap(after, false).values());
                  }
                }
              }
            });
  }

  /**
   * Four writers add 400 entries each to one partition (which moves to a skip list on the way) and
   * remove every other one of theirs, while a reader scans it again and again: each scan is in
   * cursor order, and in the end the partition holds exactly the entries not removed.
   */
  @Test
  void concurrentWritersLoseNoEntryAndReadersSeeOrder() throws Exception {
    Partition partition = new Partition(Partition.PACKED_LIMIT);
    int writers = 4;
    int each = 400;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> unordered = new ArrayList<>();
    Future<Integer> reader =
        pool.submit(
            () -> {
              start.await();
              int scans = 0;
              while (writing.get() || scans == 0) {
                List<InMemoryStore.Entry> seen = list(partition.after(null));
                for (int i = 1; i < seen.size(); i++) {
                  if (seen.get(i - 1).cursor().compareTo(seen.get(i).cursor()) >= 0) {
                    unordered.add(seen.get(i - 1).cursor() + " before " + seen.get(i).cursor());
                  }
                }
                scans++;
              }
              return scans;
            });
    ConcurrentHashMap<Cursor, Boolean> kept = new ConcurrentHashMap<>();
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < each; i++) {
                  // interleaved sort keys: every writer adds all over the partition
                  partition.add(entry(String.format("%04d", i), "writer-" + writer));
                  if (i % 2 == 1) {
                    String removed = String.format("%04d", i - 1);
                    assertThat(partition.remove(removed, "writer-" + writer)).isNotNull();
                  }
                }
                for (int i = 1; i < each; i += 2) {
                  kept.put(new Cursor(String.format("%04d", i), "writer-" + writer), true);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> writer : done) {
      writer.get(60, TimeUnit.SECONDS);
    }
    writing.set(false);
    assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    pool.shutdown();
    assertThat(unordered).isEmpty();
    assertThat(list(partition.after(null)))
        .extracting(InMemoryStore.Entry::cursor)
        .containsExactlyElementsOf(new TreeMap<>(kept).keySet());
  }

  private static List<InMemoryStore.Entry> list(Iterator<InMemoryStore.Entry> entries) {
    List<InMemoryStore.Entry> all = new ArrayList<>();
    entries.forEachRemaining(all::add);
    return all;
  }
}
