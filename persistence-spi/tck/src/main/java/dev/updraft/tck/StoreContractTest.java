package dev.updraft.tck;

import static dev.updraft.tck.Records.counter;
import static dev.updraft.tck.Records.deviceDeployment;
import static dev.updraft.tck.Records.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.updraft.core.deployment.GuardAction;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UpdraftStore} adapter must pass. Extend it, implement {@link
 * #newStore()}, and (for a durable store) {@link #reopen(UpdraftStore)}; the subclass needs nothing
 * else. Each nested group is one concern of the SPI's Javadoc; {@link EngineInvariants} runs
 * Updraft's engine over the adapter with real threads.
 */
public abstract class StoreContractTest {
  /** {@return a new, empty store} Called once per test. */
  protected abstract UpdraftStore newStore();

  /**
   * {@return the same data opened afresh, as after a restart, for a durable store; empty (the
   * default) for a store that keeps nothing across restarts, which skips the durability test}
   *
   * @param store the host's store
   */
  protected Optional<UpdraftStore> reopen(UpdraftStore store) {
    return Optional.empty();
  }

  /**
   * {@return a second store over the same data, as a second server node would open it (its own
   * connection pool), for a store shared by several processes; empty (the default) otherwise} When
   * present, the engine invariants run half their threads on an engine over each store.
   *
   * @param store the host's store
   */
  protected Optional<UpdraftStore> anotherNode(UpdraftStore store) {
    return Optional.empty();
  }

  /** The records one commit of the half-commit tests updates. */
  private static final int WIDE = 50;

  /** {@return how many threads the concurrency tests run; an adapter may lower it} */
  protected int threads() {
    return 16;
  }

  UpdraftStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  void commit(ChangeSet changes) {
    store.commit(changes);
  }

  <R extends StoredRecord> List<R> scanAll(Index<R> index, String partition, int pageSize) {
    List<R> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<R> page = store.scan(index, partition, after, pageSize);
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      all.addAll(page.items());
      after = page.next();
    } while (after.isPresent());
    return all;
  }

  @Nested
  @DisplayName("Records an earlier Updraft stored, in every format")
  class StoredFormats {
    @Test
    @DisplayName("read back as written, and today's engine reads them")
    void everyFormat_reads() {
      new StoredFormatsKit(StoreContractTest.this::newStore).everyFormatReads();
    }
  }

  @Nested
  @DisplayName("Reads of absent records")
  class AbsentReads {
    @Test
    @DisplayName("get of a key never written is empty")
    void get_absent_empty() {
      assertThat(store.get(RecordType.COUNTER, "nothing")).isEmpty();
      assertThat(store.get(RecordType.DEVICE, "nothing")).isEmpty();
    }

    @Test
    @DisplayName("a scan of a partition never written is an empty last page")
    void scan_absentPartition_emptyLastPage() {
      Page<DeviceDeploymentRecord> page =
          store.scan(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "nobody", Optional.empty(), 10);
      assertThat(page.items()).isEmpty();
      assertThat(page.next()).isEmpty();
    }
  }

  @Nested
  @DisplayName("Inserts")
  class Inserts {
    @Test
    @DisplayName("an inserted record reads back equal")
    void insert_readsBack() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 7)));
      assertThat(store.get(RecordType.COUNTER, "c")).contains(counter("c", 1, 7));
    }

    @Test
    @DisplayName("inserting an existing key is a conflict naming the record, and keeps the first")
    void insert_duplicate_conflict() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 7)));

      assertThatThrownBy(
              () -> commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 8))))
          .isInstanceOfSatisfying(
              StoreConflictException.class,
              e -> {
                assertThat(e.recordType()).isEqualTo("counter");
                assertThat(e.key()).isEqualTo("c");
              });
      assertThat(store.get(RecordType.COUNTER, "c")).contains(counter("c", 1, 7));
    }
  }

  @Nested
  @DisplayName("Versioned updates")
  class Updates {
    @Test
    @DisplayName("an update naming the stored version replaces the record")
    void update_currentVersion_applies() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 1)));
      commit(ChangeSet.create().update(RecordType.COUNTER, counter("c", 1, 1), counter("c", 2, 2)));
      assertThat(store.get(RecordType.COUNTER, "c")).contains(counter("c", 2, 2));
    }

    @Test
    @DisplayName("an update naming a stale version is a conflict and changes nothing")
    void update_staleVersion_conflict() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 1)));
      commit(ChangeSet.create().update(RecordType.COUNTER, counter("c", 1, 1), counter("c", 2, 2)));

      assertThatThrownBy(
              () ->
                  commit(
                      ChangeSet.create()
                          .update(RecordType.COUNTER, counter("c", 1, 1), counter("c", 2, 99))))
          .isInstanceOfSatisfying(
              StoreConflictException.class, e -> assertThat(e.key()).isEqualTo("c"));
      assertThat(store.get(RecordType.COUNTER, "c")).contains(counter("c", 2, 2));
    }

    @Test
    @DisplayName("an update of a missing record is a conflict")
    void update_missing_conflict() {
      assertThatThrownBy(
              () ->
                  commit(
                      ChangeSet.create()
                          .update(RecordType.COUNTER, counter("c", 1, 0), counter("c", 2, 1))))
          .isInstanceOf(StoreConflictException.class);
      assertThat(store.get(RecordType.COUNTER, "c")).isEmpty();
    }

    @Test
    @DisplayName("a check passes at the stored version and fails the commit at another")
    void check_versions() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 1)));
      commit(
          ChangeSet.create()
              .check(RecordType.COUNTER, counter("c", 1, 1))
              .insert(RecordType.COUNTER, counter("d", 1, 1)));
      assertThat(store.get(RecordType.COUNTER, "d")).isPresent();

      commit(ChangeSet.create().update(RecordType.COUNTER, counter("c", 1, 1), counter("c", 2, 2)));
      assertThatThrownBy(
              () ->
                  commit(
                      ChangeSet.create()
                          .check(RecordType.COUNTER, counter("c", 1, 1))
                          .insert(RecordType.COUNTER, counter("e", 1, 1))))
          .isInstanceOf(StoreConflictException.class);
      assertThat(store.get(RecordType.COUNTER, "e")).isEmpty();
    }
  }

  @Nested
  @DisplayName("Deletes")
  class Deletes {
    @Test
    @DisplayName("a delete at the stored version removes the record and its index entries")
    void delete_removesRecordAndIndexEntries() {
      DeviceDeploymentRecord record = deviceDeployment("dep", "d1", 1, "pending", 0);
      commit(ChangeSet.create().insert(RecordType.DEVICE_DEPLOYMENT, record));

      commit(ChangeSet.create().delete(RecordType.DEVICE_DEPLOYMENT, record));

      assertThat(store.get(RecordType.DEVICE_DEPLOYMENT, record.key())).isEmpty();
      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "d1", 10)).isEmpty();
      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_STATUS, "dep/pending", 10)).isEmpty();
    }

    @Test
    @DisplayName("a delete at a stale version, or of a missing record, is a conflict")
    void delete_stale_conflict() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("c", 1, 1)));
      commit(ChangeSet.create().update(RecordType.COUNTER, counter("c", 1, 1), counter("c", 2, 2)));

      assertThatThrownBy(
              () -> commit(ChangeSet.create().delete(RecordType.COUNTER, counter("c", 1, 1))))
          .isInstanceOf(StoreConflictException.class);
      assertThat(store.get(RecordType.COUNTER, "c")).isPresent();
      assertThatThrownBy(
              () -> commit(ChangeSet.create().delete(RecordType.COUNTER, counter("x", 1, 1))))
          .isInstanceOf(StoreConflictException.class);
    }
  }

  @Nested
  @DisplayName("All-or-nothing commits")
  class AllOrNothing {
    @Test
    @DisplayName("a failing member leaves nothing of the change set behind, records or indexes")
    void failingMember_leavesNothing() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("stale", 1, 1)));
      commit(
          ChangeSet.create()
              .update(RecordType.COUNTER, counter("stale", 1, 1), counter("stale", 2, 1)));
      DeviceDeploymentRecord record = deviceDeployment("dep", "d1", 1, "pending", 0);

      assertThatThrownBy(
              () ->
                  commit(
                      ChangeSet.create()
                          .insert(RecordType.DEVICE_DEPLOYMENT, record)
                          .insert(RecordType.COUNTER, counter("fresh", 1, 1))
                          .update(
                              RecordType.COUNTER, counter("stale", 1, 1), counter("stale", 2, 5))))
          .isInstanceOfSatisfying(
              StoreConflictException.class, e -> assertThat(e.key()).isEqualTo("stale"));

      assertThat(store.get(RecordType.DEVICE_DEPLOYMENT, record.key())).isEmpty();
      assertThat(store.get(RecordType.COUNTER, "fresh")).isEmpty();
      assertThat(store.get(RecordType.COUNTER, "stale")).contains(counter("stale", 2, 1));
      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "d1", 10)).isEmpty();
    }
  }

  @Nested
  @DisplayName("Index scans")
  class IndexScans {
    @Test
    @DisplayName("a partition is ordered by sort key, then record key, and pages cover it exactly")
    void scan_orderAndPaging() {
      ChangeSet changes = ChangeSet.create();
      for (int i = 0; i < 25; i++) {
        changes.insert(
            RecordType.DEVICE_DEPLOYMENT,
            deviceDeployment("dep" + (24 - i), "d1", 1, "pending", i % 5));
      }
      commit(changes);

      List<DeviceDeploymentRecord> all = scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "d1", 4);

      assertThat(all).hasSize(25);
      for (int i = 1; i < all.size(); i++) {
        DeviceDeploymentRecord a = all.get(i - 1);
        DeviceDeploymentRecord b = all.get(i);
        int bySortKey = a.created().compareTo(b.created());
        assertThat(bySortKey < 0 || (bySortKey == 0 && a.key().compareTo(b.key()) < 0))
            .as("%s before %s", a.key(), b.key())
            .isTrue();
      }
      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "d1", 1000)).isEqualTo(all);
    }

    @Test
    @DisplayName(
        "a record is found under its new partition after an update, never under its old one")
    void scan_followsUpdates() {
      DeviceDeploymentRecord record = deviceDeployment("dep", "d1", 1, "pending", 0);
      commit(ChangeSet.create().insert(RecordType.DEVICE_DEPLOYMENT, record));
      commit(
          ChangeSet.create()
              .update(
                  RecordType.DEVICE_DEPLOYMENT,
                  record,
                  deviceDeployment("dep", "d1", 2, "success", 0)));

      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_STATUS, "dep/pending", 10)).isEmpty();
      assertThat(scanAll(Index.DEVICE_DEPLOYMENTS_BY_STATUS, "dep/success", 10))
          .extracting(DeviceDeploymentRecord::version)
          .containsExactly(2L);
    }

    @Test
    @DisplayName("paging while other records are written returns each stable record exactly once")
    void scan_pagingDuringWrites_noSkipsOrRepeats() throws Exception {
      ChangeSet stable = ChangeSet.create();
      for (int i = 0; i < 300; i += 2) {
        stable.insert(
            RecordType.DEVICE_DEPLOYMENT,
            deviceDeployment("dep", String.format("d%04d", i), 1, "pending", 0));
      }
      commit(stable);
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService writer = Executors.newSingleThreadExecutor();
      Future<?> writes =
          writer.submit(
              () -> {
                int n = 1;
                while (!done.get()) {
                  String device = String.format("d%04d", n % 300 | 1);
                  DeviceDeploymentRecord churn = deviceDeployment("dep", device, 1, "pending", 0);
                  try {
                    commit(ChangeSet.create().insert(RecordType.DEVICE_DEPLOYMENT, churn));
                    commit(ChangeSet.create().delete(RecordType.DEVICE_DEPLOYMENT, churn));
                  } catch (StoreConflictException ignored) {
                    // the odd keys churn; a conflict only means this key was busy
                  }
                  n += 2;
                }
              });
      try {
        for (int round = 0; round < 20; round++) {
          List<String> seen =
              scanAll(Index.DEVICE_DEPLOYMENTS_BY_STATUS, "dep/pending", 7).stream()
                  .map(DeviceDeploymentRecord::deviceId)
                  .filter(id -> Integer.parseInt(id.substring(1)) % 2 == 0)
                  .toList();
          assertThat(seen).hasSize(150).doesNotHaveDuplicates().isSorted();
        }
      } finally {
        done.set(true);
        writes.get(30, TimeUnit.SECONDS);
        writer.shutdown();
      }
    }
  }

  @Nested
  @DisplayName("Large snapshots")
  class LargeSnapshots {
    @Test
    @DisplayName("a target of 100,000 device ids commits at once and each device finds it")
    void target_of100k() {
      ChangeSet changes = ChangeSet.create();
      for (int i = 0; i < 100_000; i++) {
        changes.insert(RecordType.TARGET, target("big", "dev-" + i));
      }
      changes.insert(RecordType.TARGET, target("other", "dev-5"));
      commit(changes);

      assertThat(scanAll(Index.TARGETS_BY_DEVICE, "dev-99999", 10))
          .extracting(TargetRecord::deploymentId)
          .containsExactly("big");
      assertThat(scanAll(Index.TARGETS_BY_DEVICE, "dev-5", 10))
          .extracting(TargetRecord::deploymentId)
          .containsExactly("big", "other");
      assertThat(store.get(RecordType.TARGET, "big/dev-0")).isPresent();
      assertThat(store.get(RecordType.TARGET, "big/dev-100000")).isEmpty();
    }
  }

  @Nested
  @DisplayName("Concurrent commits")
  class ConcurrentCommits {
    @Test
    @DisplayName("threads contending on one record: exactly one wins each version")
    void contention_oneWinnerPerVersion() throws Exception {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("hot", 1, 0)));
      int threads = threads();
      int rounds = 200;
      AtomicInteger wins = new AtomicInteger();
      Set<Long> wonVersions = java.util.concurrent.ConcurrentHashMap.newKeySet();
      AtomicBoolean duplicateWin = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    CounterRecord read = store.get(RecordType.COUNTER, "hot").orElseThrow();
                    CounterRecord next = counter("hot", read.version() + 1, read.value() + 1);
                    try {
                      commit(ChangeSet.create().update(RecordType.COUNTER, read, next));
                      wins.incrementAndGet();
                      if (!wonVersions.add(next.version())) {
                        duplicateWin.set(true);
                      }
                    } catch (StoreConflictException lost) {
                      // another thread won this version
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      CounterRecord end = store.get(RecordType.COUNTER, "hot").orElseThrow();
      assertThat(duplicateWin).isFalse();
      assertThat(end.value()).as("no lost update").isEqualTo(wins.get());
      assertThat(end.version()).isEqualTo(wins.get() + 1L);
      assertThat(wonVersions)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(2, wins.get() + 1).mapToObj(Long::valueOf).toList());
    }

    @Test
    @DisplayName("a reader never sees a commit half applied")
    void readers_neverSeeHalfACommit() throws Exception {
      assertReadersSeeWholeCommits(
          RecordType.COUNTER,
          (k, version) -> counter("wide-" + k, version, version - 1),
          () -> {
            // the first record, the last, the first again: if the first did not change in
            // between, the last must be at its version
            CounterRecord left = store.get(RecordType.COUNTER, "wide-0").orElseThrow();
            CounterRecord right = store.get(RecordType.COUNTER, "wide-" + (WIDE - 1)).orElseThrow();
            CounterRecord leftAgain = store.get(RecordType.COUNTER, "wide-0").orElseThrow();
            return left.equals(leftAgain)
                ? Optional.of(right.version() == left.version())
                : Optional.empty();
          });
    }

    @Test
    @DisplayName("a scan never sees a commit half applied, records updated in place included")
    void scans_neverSeeHalfACommit() throws Exception {
      assertReadersSeeWholeCommits(
          RecordType.DEVICE_DEPLOYMENT,
          (k, version) -> deviceDeployment("wide-" + k, "dev-wide", version, "downloading", k),
          () -> {
            // a commit applies the records in scan order, so a scan that overtook one half way
            // would see a newer record before an older one
            List<DeviceDeploymentRecord> seen =
                scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, "dev-wide", 1_000);
            return Optional.of(
                seen.size() == WIDE
                    && IntStream.range(1, WIDE)
                        .allMatch(i -> seen.get(i - 1).version() <= seen.get(i).version()));
          });
    }

    /**
     * Commits 2,000 updates of the same {@value #WIDE} records (in the order of {@code k}) while
     * readers run {@code check}: empty when it could not tell, else whether what it read was whole.
     *
     * @param type the record type
     * @param record the record
     */
    private <R extends StoredRecord> void assertReadersSeeWholeCommits(
        RecordType<R> type, BiFunction<Integer, Long, R> record, Supplier<Optional<Boolean>> check)
        throws Exception {
      ChangeSet first = ChangeSet.create();
      for (int k = 0; k < WIDE; k++) {
        first.insert(type, record.apply(k, 1L));
      }
      commit(first);
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger torn = new AtomicInteger();
      AtomicInteger checked = new AtomicInteger();
      // a few readers overlap the commits enough; more only starve the writer of a database that
      // shares the machine (16 readers made this test take minutes on PostgreSQL)
      int readerCount = Math.min(3, Math.max(1, threads() - 1));
      ExecutorService readers = Executors.newFixedThreadPool(readerCount);
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < readerCount; r++) {
        futures.add(
            readers.submit(
                () -> {
                  while (!done.get()) {
                    Optional<Boolean> whole = check.get();
                    whole.ifPresent(
                        w -> {
                          checked.incrementAndGet();
                          if (!w) {
                            torn.incrementAndGet();
                          }
                        });
                  }
                }));
      }
      for (long i = 2; i <= 2_001; i++) {
        ChangeSet changes = ChangeSet.create();
        for (int k = 0; k < WIDE; k++) {
          changes.update(type, record.apply(k, i - 1), record.apply(k, i));
        }
        commit(changes);
      }
      done.set(true);
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
      readers.shutdown();
      assertThat(checked.get()).as("reads that could be checked").isPositive();
      assertThat(torn.get())
          .as("reads that saw records of one commit from different commits")
          .isZero();
    }

    @Test
    @DisplayName("threads inserting one key: exactly one insert succeeds")
    void racingInserts_oneWins() throws Exception {
      int threads = threads();
      for (int round = 0; round < 50; round++) {
        String key = "claim-" + round;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String owner = "t" + t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      commit(
                          ChangeSet.create()
                              .insert(
                                  RecordType.CLAIM,
                                  new dev.updraft.spi.ClaimRecord(key, 1, owner)));
                      return true;
                    } catch (StoreConflictException lost) {
                      return false;
                    }
                  }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> future : futures) {
          winners += future.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
      }
    }
  }

  @Nested
  @DisplayName("Durability")
  class Durability {
    @Test
    @DisplayName("after a commit returns, a reopened store shows it")
    void reopen_showsAcknowledgedCommits() {
      commit(ChangeSet.create().insert(RecordType.COUNTER, counter("kept", 1, 42)));
      Optional<UpdraftStore> reopened = reopen(store);
      assumeThat(reopened).as("a durable store (reopen is implemented)").isPresent();
      assertThat(reopened.get().get(RecordType.COUNTER, "kept")).contains(counter("kept", 1, 42));
    }
  }

  @Nested
  @DisplayName("The event feed (a transactional outbox)")
  class EventFeed {
    private EventFeedKit kit() {
      return new EventFeedKit(
          StoreContractTest.this::newStore,
          StoreContractTest.this::anotherNode,
          StoreContractTest.this::reopen,
          threads());
    }

    @Test
    @DisplayName("a commit's events are stored with it, at positions 1, 2, 3 in commit order")
    void appendedEvents_readInOrder() {
      kit().appendedEvents_readInOrder();
    }

    @Test
    @DisplayName("a commit that fails stores none of its events and takes no position")
    void failedCommit_appendsNothing() {
      kit().failedCommit_appendsNothing();
    }

    @Test
    @DisplayName("trimming removes the oldest events; positions are never used again")
    void trim_removesOldest_positionsGoOn() {
      kit().trim_removesOldest_positionsGoOn();
    }

    @Test
    @DisplayName(
        "concurrent writers (on two nodes for a shared store) and a paging reader: one feed without"
            + " a gap, exactly the winners' events, each key's in version order")
    void concurrentWriters_oneGapFreeFeed() throws Exception {
      kit().concurrentWriters_oneGapFreeFeed();
    }

    @Test
    @DisplayName("a reopened store holds the events, and gives the next positions after them")
    void reopened_keepsEvents() {
      assumeThat(kit().reopened_keepsEvents_positionsGoOn())
          .as("a durable store (reopen is implemented)")
          .isTrue();
    }
  }

  @Nested
  @DisplayName("Random operation sequences against a model")
  class StatefulProperty {
    @Test
    @DisplayName(
        "any sequence of commits of device deployments leaves the store equal to a simple model,"
            + " after every step")
    void randomSequences_matchModel() {
      StoreModelProperty.check(
          StoreModelProperty.DEVICE_DEPLOYMENTS, StoreContractTest.this::newStore);
    }

    @Test
    @DisplayName(
        "any sequence of commits of targets, with ids that share keys, leaves the store equal to a"
            + " simple model, after every step")
    void randomTargetSequences_matchModel() {
      StoreModelProperty.check(StoreModelProperty.TARGETS, StoreContractTest.this::newStore);
    }
  }

  @Nested
  @DisplayName("Engine invariants over this store, with real threads")
  class EngineInvariants {
    private EngineInvariantsKit kit() {
      return new EngineInvariantsKit(
          StoreContractTest.this::newStore, StoreContractTest.this::anotherNode, threads());
    }

    @Test
    @DisplayName(
        "16 threads polling a dynamic deployment capped at 10 devices never hand out an 11th")
    void cap_neverExceeded() throws Exception {
      kit().capNeverExceeded();
    }

    @Test
    @DisplayName("16 threads polling fill each phase to exactly its capacity, within the maximum")
    void phaseCapacities_exact() throws Exception {
      kit().phaseCapacitiesExact();
    }

    @Test
    @DisplayName(
        "concurrent reports finishing the last devices of a static deployment finish it exactly once")
    void staticDeployment_finishesOnce() throws Exception {
      kit().staticDeploymentFinishesOnce();
    }

    @Test
    @DisplayName("statistics equal a recount after a storm of concurrent polls and reports")
    void statistics_equalRecount() throws Exception {
      kit().statisticsEqualRecount();
    }

    @Test
    @DisplayName(
        "a device polling from many threads at once never gets two records for one deployment")
    void oneRecordPerDeviceAndDeployment() throws Exception {
      kit().oneRecordPerDeviceAndDeployment();
    }

    @Test
    @DisplayName(
        "aborting during a storm of reports: aborted records stay aborted, statistics still recount")
    void abortDuringReports() throws Exception {
      kit().abortDuringReports();
    }

    @Test
    @DisplayName(
        "decommissioning devices during polls finishes their records and only accepted devices get new ones")
    void decommissionDuringPolls() throws Exception {
      kit().decommissionDuringPolls();
    }

    @Test
    @DisplayName(
        "resetting histories and aborting devices' deployments during polls, on another node: "
            + "statistics, hand-outs and phase counts still recount")
    void resetAndAbortDuringPolls() throws Exception {
      kit().resetAndAbortDuringPolls();
    }

    @Test
    @DisplayName(
        "under concurrent polls each device takes deployments oldest first, never one older than its newest finished")
    void oldestFirst() throws Exception {
      kit().oldestFirst();
    }

    @Test
    @DisplayName(
        "concurrent failures trip a pausing guard exactly once: one pause, nobody new starts")
    void guard_pausesOnce() throws Exception {
      kit().guardTripsOnce(GuardAction.PAUSE, false);
    }

    @Test
    @DisplayName(
        "concurrent failures trip an aborting guard of a dynamic deployment exactly once: one"
            + " abort, no open record left")
    void guard_abortsOnce() throws Exception {
      kit().guardTripsOnce(GuardAction.ABORT, true);
    }
  }

  @Nested
  @DisplayName("Safer rollouts over this store: guards, gates, timeouts, explain, preview, events")
  class SaferRollouts {
    private final SaferRolloutsKit kit = new SaferRolloutsKit(StoreContractTest.this::newStore);

    @Test
    @DisplayName(
        "a paused deployment resumes with its guard counting afresh; events tell each step")
    void guard_resumeCountsAfresh() {
      kit.guardResumeCountsAfresh();
    }

    @Test
    @DisplayName(
        "a gated phase opens when its start has come and the previous phase succeeded enough")
    void phaseGate() {
      kit.phaseGate();
    }

    @Test
    @DisplayName(
        "the sweep times out overdue records in bounded batches, retries apply, a poll applies it too")
    void progressTimeout() {
      kit.progressTimeout();
    }

    @Test
    @DisplayName("explain gives every active deployment's reason and agrees with the poll")
    void explain() {
      kit.explain();
    }

    @Test
    @DisplayName(
        "preview resolves the target, sizes the phases, counts devices no artifact fits, finds overlaps")
    void preview() {
      kit.preview();
    }
  }

  static Set<String> keysOf(List<? extends StoredRecord> records) {
    Set<String> keys = new HashSet<>();
    records.forEach(r -> keys.add(r.key()));
    return keys;
  }
}
