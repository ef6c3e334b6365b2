package dev.updraft.tck;

import static dev.updraft.tck.Records.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.EventRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The event feed's contract (see {@link UpdraftStore}'s class comment): events stored with their
 * commit, all or nothing; positions without a gap, in the order of dependent commits, visible in
 * order, also with a second node and a reader paging meanwhile; trimming; and durability.
 */
final class EventFeedKit {
  /** Counters the concurrent writers contend on: each commit updates one and appends an event. */
  static final int HOT_KEYS = 4;

  static final int COMMITS_PER_THREAD = 60;

  private final Supplier<UpdraftStore> stores;
  private final Function<UpdraftStore, Optional<UpdraftStore>> anotherNode;
  private final Function<UpdraftStore, Optional<UpdraftStore>> reopen;
  private final int threads;

  EventFeedKit(
      Supplier<UpdraftStore> stores,
      Function<UpdraftStore, Optional<UpdraftStore>> anotherNode,
      Function<UpdraftStore, Optional<UpdraftStore>> reopen,
      int threads) {
    this.stores = stores;
    this.anotherNode = anotherNode;
    this.reopen = reopen;
    this.threads = threads;
  }

  /** An event about {@code deployment}, its detail naming what made it. */
  static EventRecord event(String deployment, String detail) {
    return new EventRecord(
        0,
        java.util.UUID.randomUUID().toString(),
        "DEVICE_DEPLOYMENT_CHANGED",
        deployment,
        Optional.of("dev-1"),
        Optional.of("downloading"),
        Optional.of("installing"),
        Records.T0.plusNanos(123_456_789),
        detail);
  }

  /** Every event after {@code after}, in pages of {@code size}, checking each page's order. */
  static List<EventRecord> readAll(UpdraftStore store, long after, int size) {
    List<EventRecord> all = new ArrayList<>();
    long position = after;
    while (true) {
      EventPage page = store.events(position, size);
      assertThat(page.events().size()).isLessThanOrEqualTo(size);
      for (EventRecord event : page.events()) {
        assertThat(event.position()).as("the next position, without a gap").isEqualTo(++position);
        all.add(event);
      }
      if (page.events().isEmpty()) {
        return all;
      }
    }
  }

  void appendedEvents_readInOrder() {
    UpdraftStore store = stores.get();
    EventPage empty = store.events(0, 10);
    assertThat(empty.events()).isEmpty();
    assertThat(empty.last()).isZero();
    assertThat(empty.oldest()).isEqualTo(1);

    EventRecord first = event("d1", "first");
    EventRecord second =
        new EventRecord(
            0,
            "id-2",
            "DEPLOYMENT_PAUSED",
            "d1",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Records.T0,
            "");
    store.commit(
        ChangeSet.create()
            .insert(RecordType.COUNTER, counter("c", 1, 1))
            .append(first)
            .append(second));
    store.commit(ChangeSet.create().append(event("d2", "third")));

    assertThat(store.events(0, 10).events())
        .as("every field as appended, at positions 1, 2, 3 in commit and append order")
        .containsExactly(
            first.atPosition(1), second.atPosition(2), store.events(2, 1).events().get(0));
    assertThat(store.events(2, 1).events().get(0).detail()).isEqualTo("third");
    EventPage page = store.events(1, 1);
    assertThat(page.events()).containsExactly(second.atPosition(2));
    assertThat(page.oldest()).isEqualTo(1);
    assertThat(page.last()).isEqualTo(3);
    assertThat(store.events(3, 10).events()).isEmpty();
    assertThat(store.get(RecordType.COUNTER, "c")).contains(counter("c", 1, 1));
  }

  void failedCommit_appendsNothing() {
    UpdraftStore store = stores.get();
    store.commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 1)));
    assertThatThrownBy(
            () ->
                store.commit(
                    ChangeSet.create()
                        .insert(RecordType.COUNTER, counter("other", 1, 1))
                        .insert(RecordType.COUNTER, counter("c", 1, 2))
                        .append(event("d", "lost"))))
        .isInstanceOf(StoreConflictException.class);
    assertThat(store.events(0, 10).events()).as("no event of a failed commit").isEmpty();
    assertThat(store.events(0, 10).last()).isZero();
    assertThat(store.get(RecordType.COUNTER, "other")).isEmpty();

    store.commit(ChangeSet.create().append(event("d", "kept")));
    assertThat(store.events(0, 10).events())
        .as("the failed commit took no position")
        .extracting(EventRecord::position, EventRecord::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "kept"));
  }

  void trim_removesOldest_positionsGoOn() {
    UpdraftStore store = stores.get();
    for (int i = 1; i <= 5; i++) {
      store.commit(ChangeSet.create().append(event("d", "e" + i)));
    }
    store.trimEvents(2);
    EventPage page = store.events(0, 10);
    assertThat(page.events()).extracting(EventRecord::position).containsExactly(3L, 4L, 5L);
    assertThat(page.oldest()).isEqualTo(3);
    assertThat(page.last()).isEqualTo(5);
    assertThat(store.events(3, 10).events())
        .extracting(EventRecord::position)
        .containsExactly(4L, 5L);

    store.trimEvents(100);
    EventPage none = store.events(0, 10);
    assertThat(none.events()).isEmpty();
    assertThat(none.oldest()).as("none held: one past the last").isEqualTo(6);
    assertThat(none.last()).isEqualTo(5);

    store.commit(ChangeSet.create().append(event("d", "after")));
    assertThat(store.events(5, 10).events())
        .as("positions are never used again")
        .extracting(EventRecord::position, EventRecord::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, "after"));
  }

  /**
   * Writers on one node, or spread over two, contend on {@link #HOT_KEYS} counters; each commit
   * updates one and appends an event naming the counter and its new version. A reader pages the
   * feed meanwhile from the last position it read. Afterwards the feed holds exactly the events of
   * the commits that won, at positions 1 to n; the reader saw them all, once, in that order; and
   * each counter's versions come in increasing order (a commit that read another's result comes
   * after it).
   */
  void concurrentWriters_oneGapFreeFeed() throws Exception {
    UpdraftStore store = stores.get();
    List<UpdraftStore> nodes = new ArrayList<>(List.of(store));
    anotherNode.apply(store).ifPresent(nodes::add);
    ChangeSet setup = ChangeSet.create();
    for (int k = 0; k < HOT_KEYS; k++) {
      setup.insert(RecordType.COUNTER, counter("hot-" + k, 1, 0));
    }
    store.commit(setup);
    Set<String> won = ConcurrentHashMap.newKeySet();
    Set<String> lost = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      UpdraftStore node = nodes.get(t % nodes.size());
      int thread = t;
      writers.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < COMMITS_PER_THREAD; i++) {
                  String key = "hot-" + ((thread + i) % HOT_KEYS);
                  CounterRecord read = node.get(RecordType.COUNTER, key).orElseThrow();
                  EventRecord event = event("d", key + "@" + (read.version() + 1));
                  try {
                    node.commit(
                        ChangeSet.create()
                            .update(
                                RecordType.COUNTER,
                                read,
                                counter(key, read.version() + 1, read.value() + 1))
                            .append(event));
                    won.add(event.id());
                  } catch (StoreConflictException conflict) {
                    lost.add(event.id());
                  }
                }
                return null;
              }));
    }
    UpdraftStore readerNode = nodes.get(nodes.size() - 1);
    Future<List<EventRecord>> reader =
        pool.submit(
            () -> {
              start.await();
              List<EventRecord> seen = new ArrayList<>();
              long position = 0;
              while (true) {
                boolean last = !writing.get();
                EventPage page = readerNode.events(position, 7);
                for (EventRecord event : page.events()) {
                  assertThat(event.position())
                      .as("a reader paging from where it was never misses a position")
                      .isEqualTo(++position);
                  seen.add(event);
                }
                if (last && page.events().isEmpty()) {
                  return seen;
                }
              }
            });
    start.countDown();
    for (Future<?> writer : writers) {
      writer.get(300, TimeUnit.SECONDS);
    }
    writing.set(false);
    List<EventRecord> seen = reader.get(300, TimeUnit.SECONDS);
    pool.shutdown();

    List<EventRecord> feed = readAll(store, 0, 50);
    assertThat(feed)
        .extracting(EventRecord::position)
        .as("positions 1 to n, without a gap")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, won.size()).boxed().toList());
    assertThat(feed)
        .extracting(EventRecord::id)
        .as("exactly the events of the commits that won")
        .containsExactlyInAnyOrderElementsOf(won)
        .noneMatch(lost::contains);
    assertThat(seen).as("the reader saw the feed, in order").isEqualTo(feed);
    Map<String, Long> lastVersion = new HashMap<>();
    for (EventRecord event : feed) {
      String[] keyAndVersion = event.detail().split("@");
      long version = Long.parseLong(keyAndVersion[1]);
      assertThat(version)
          .as("%s: each version's event after the one it read", keyAndVersion[0])
          .isEqualTo(lastVersion.getOrDefault(keyAndVersion[0], 1L) + 1);
      lastVersion.put(keyAndVersion[0], version);
    }
    for (int k = 0; k < HOT_KEYS; k++) {
      assertThat(store.get(RecordType.COUNTER, "hot-" + k).orElseThrow().version())
          .isEqualTo(lastVersion.getOrDefault("hot-" + k, 1L));
    }
  }

  /** Returns false (skipped) for a store that keeps nothing across restarts. */
  boolean reopened_keepsEvents_positionsGoOn() {
    UpdraftStore store = stores.get();
    store.commit(
        ChangeSet.create()
            .insert(RecordType.COUNTER, counter("c", 1, 1))
            .append(event("d", "one"))
            .append(event("d", "two")));
    List<EventRecord> before = readAll(store, 0, 10);
    Optional<UpdraftStore> reopened = reopen.apply(store);
    if (reopened.isEmpty()) {
      return false;
    }
    assertThat(readAll(reopened.get(), 0, 10)).isEqualTo(before);
    reopened.get().commit(ChangeSet.create().append(event("d", "three")));
    assertThat(reopened.get().events(2, 10).events())
        .extracting(EventRecord::position, EventRecord::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "three"));
    return true;
  }
}
