package dev.updraft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.UpdraftException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.GuardTrip;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.EventPage;
import dev.updraft.core.engine.FeedEvent;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.ResultPage;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.engine.UpdraftEvent;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.spi.UpdraftStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * ARCHITECTURE.md's invariants, checked by running Updraft's engine over an adapter with real
 * threads. Each check repeats on fresh stores; thread counts and iterations are constants here so
 * that the closing notes can quote them.
 */
final class EngineInvariantsKit {
  static final int CAP_ITERATIONS = 10;
  static final int FINISH_ITERATIONS = 20;
  static final int STORM_ITERATIONS = 4;
  static final int STORM_OPERATIONS_PER_THREAD = 150;
  static final int GUARD_ITERATIONS = 5;
  static final int GUARD_DEVICES = 40;
  static final String TYPE = "board";

  private final Supplier<UpdraftStore> stores;
  private final Function<UpdraftStore, Optional<UpdraftStore>> anotherNode;
  private final int threads;

  EngineInvariantsKit(
      Supplier<UpdraftStore> stores,
      Function<UpdraftStore, Optional<UpdraftStore>> anotherNode,
      int threads) {
    this.stores = stores;
    this.anotherNode = anotherNode;
    this.threads = threads;
  }

  /**
   * A fleet on a fresh store: {@code devices} accepted devices of one type, three releases. With a
   * second node, {@link #node(int)} spreads threads over an engine per store.
   */
  private final class Fleet {
    final AtomicLong ids = new AtomicLong();

    /**
     * The nodes' shared clock, made monotonic so that timestamps can be compared across threads.
     */
    final Clock clock = new MonotonicClock();

    final List<UpdraftEvent> events = Collections.synchronizedList(new ArrayList<>());
    final UpdraftStore store;
    final Updraft engine;
    final List<Updraft> nodes = new ArrayList<>();
    final List<String> devices = new ArrayList<>();

    Fleet(int devices) {
      store = stores.get();
      engine = engineOver(store);
      nodes.add(engine);
      anotherNode.apply(store).map(this::engineOver).ifPresent(nodes::add);
      for (int i = 0; i < devices; i++) {
        String id = String.format("dev-%03d", i);
        KitFleets.acceptedDevice(engine, id, TYPE);
        this.devices.add(id);
      }
      for (String release : List.of("r1", "r2", "r3")) {
        KitFleets.release(engine, release, TYPE);
      }
    }

    private Updraft engineOver(UpdraftStore store) {
      return Updraft.builder(store)
          .clock(clock)
          .ids(() -> "id-" + ids.incrementAndGet())
          .listener(events::add)
          .build();
    }

    /** The engine thread {@code thread} uses: the nodes take turns. */
    Updraft node(int thread) {
      return nodes.get(thread % nodes.size());
    }

    String deployToAll(String release, DeploymentOptions options) {
      return engine
          .createDeployment(
              DeploymentRequest.builder()
                  .name(release + " to all")
                  .releaseName(release)
                  .addAllDevices(devices)
                  .options(options)
                  .build())
          .deployment()
          .id();
    }

    String deployDynamic(String release, DeploymentOptions options) {
      return engine
          .createDeployment(
              DeploymentRequest.builder()
                  .name(release + " dynamic")
                  .releaseName(release)
                  .filter(
                      engine.saveFilter(
                          "boards-" + release,
                          Filter.of(
                              FilterTerm.of(Scope.INVENTORY, "device_type", Operator.EQ, TYPE))))
                  .options(options)
                  .build())
          .deployment()
          .id();
    }

    PollDecision poll(String device) {
      return poll(0, device);
    }

    PollDecision poll(int thread, String device) {
      return node(thread).poll(device, DeviceState.of(TYPE, "v0"));
    }

    /**
     * Polls, and reports {@code status} when the device got instructions; a refusal caused by
     * another thread having moved the device on (an illegal or conflicting report, a device
     * decommissioned meanwhile) is part of the race and ignored.
     *
     * @param device the device
     * @param status the status
     */
    void pollAndReport(int thread, String device, DeviceDeploymentStatus status) {
      try {
        PollDecision decision = poll(thread, device);
        if (decision.instructions().isPresent()) {
          node(thread).report(device, decision.instructions().get().deploymentId(), status, "");
        }
      } catch (UpdraftException refused) {
        // see above
      }
    }

    /**
     * Every device deployment of a deployment, by status, in pages of 7: small enough that pages
     * end inside a status and at a status's end.
     *
     * @param deploymentId the deployment's id
     */
    List<DeviceDeployment> records(String deploymentId) {
      List<DeviceDeployment> all = new ArrayList<>();
      PageRequest request = PageRequest.first(7);
      while (true) {
        ResultPage<DeviceDeployment> page = engine.deviceDeployments(deploymentId, request);
        all.addAll(page.items());
        if (page.next().isEmpty()) {
          return all;
        }
        request = PageRequest.after(page.next().get(), 7);
      }
    }

    /**
     * Invariant 4: statistics equal a recount of the device deployments, plus, for a snapshot
     * target, the targeted devices without one (pending, or aborted once the deployment stopped).
     * And the deployment the engine answers with (kept decoded from its own writes) is the one a
     * fresh engine decodes from the stored record.
     *
     * @param deploymentId the deployment's id
     */
    void assertStatisticsRecount(String deploymentId) {
      Deployment deployment = engine.deployment(deploymentId).orElseThrow();
      assertThat(deployment).isEqualTo(engineOver(store).deployment(deploymentId).orElseThrow());
      List<DeviceDeployment> records = records(deploymentId);
      Map<DeviceDeploymentStatus, Long> counts = new EnumMap<>(DeviceDeploymentStatus.class);
      records.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
      if (deployment.target().kind().isSnapshot()) {
        long unpolled = deployment.target().initialDeviceCount() - records.size();
        counts.merge(
            deployment.stopped() ? DeviceDeploymentStatus.ABORTED : DeviceDeploymentStatus.PENDING,
            unpolled,
            Long::sum);
      }
      assertThat(deployment.statistics()).isEqualTo(Statistics.of(counts));
      assertThat(deployment.handedOut())
          .isEqualTo(records.stream().filter(r -> r.initialState().isPresent()).count());
      assertFeedMatches(deploymentId, records);
    }

    /**
     * The feed holds what the commits did: every event the listener got, once, at positions without
     * a gap; and each device deployment's events chain (each from the status the one before went
     * to, or from none when its record was made anew) and end at its status.
     *
     * @param deploymentId the deployment's id
     * @param records its device deployments
     */
    private void assertFeedMatches(String deploymentId, List<DeviceDeployment> records) {
      List<FeedEvent> feed = new ArrayList<>();
      long after = 0;
      for (EventPage page = engine.events(after, 100);
          !page.events().isEmpty();
          page = engine.events(after, 100)) {
        feed.addAll(page.events());
        after = page.next(after);
      }
      assertThat(feed)
          .extracting(FeedEvent::position)
          .as("positions without a gap")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, feed.size()).boxed().toList());
      synchronized (events) {
        assertThat(feed)
            .extracting(e -> e.event().id())
            .as("the feed holds each event the listener got, once")
            .containsExactlyInAnyOrderElementsOf(events.stream().map(UpdraftEvent::id).toList());
      }
      Map<String, DeviceDeploymentStatus> reached = new HashMap<>();
      for (FeedEvent fed : feed) {
        UpdraftEvent event = fed.event();
        if (event.deploymentId().equals(deploymentId)
            && event.kind() == UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED) {
          String device = event.deviceId().orElseThrow();
          if (event.from().isPresent()) {
            assertThat(event.from().get())
                .as("%s at %d: from the status its event before went to", device, fed.position())
                .isEqualTo(reached.get(device));
          }
          reached.put(device, event.to().orElseThrow());
        }
      }
      for (DeviceDeployment record : records) {
        assertThat(reached.get(record.deviceId()))
            .as("%s: its last event went to its status", record.deviceId())
            .isEqualTo(record.status());
      }
    }
  }

  /** The system clock, never going back: each reading is at least the previous one. */
  private static final class MonotonicClock extends Clock {
    private final AtomicReference<Instant> last = new AtomicReference<>(Instant.EPOCH);

    @Override
    public Instant instant() {
      Instant now = Instant.now();
      return last.accumulateAndGet(
          now, (previous, next) -> next.isAfter(previous) ? next : previous);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Runs {@code body(thread)} on {@code threads} threads released together; rethrows failures. */
  private void concurrently(int threads, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                body.run(thread);
                return null;
              }));
    }
    start.countDown();
    try {
      for (Future<?> future : futures) {
        future.get(300, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /**
   * Invariant 2: 16 threads polling a dynamic deployment capped at 10 devices never hand out an
   * 11th.
   */
  void capNeverExceeded() throws Exception {
    for (int iteration = 0; iteration < CAP_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(40);
      String dynamic =
          fleet.deployDynamic("r1", DeploymentOptions.builder().maxDevices(10L).build());
      AtomicInteger offered = new AtomicInteger();
      pollEveryDevice(
          fleet,
          iteration,
          decision -> {
            if (decision.instructions().isPresent()) {
              offered.incrementAndGet();
            }
          });
      List<DeviceDeployment> records = fleet.records(dynamic);
      assertThat(records).hasSize(10);
      assertThat(fleet.engine.deployment(dynamic).orElseThrow().handedOut()).isEqualTo(10);
      fleet.assertStatisticsRecount(dynamic);
      concurrently(
          10,
          thread ->
              fleet.engine.report(
                  records.get(thread).deviceId(), dynamic, DeviceDeploymentStatus.SUCCESS, ""));
      assertThat(fleet.engine.deployment(dynamic).orElseThrow().finished()).isPresent();
      assertThat(fleet.records(dynamic)).hasSize(10);
    }
  }

  /**
   * Invariant 2 for phases: 16 threads polling a deployment of 40 devices whose two phases are both
   * open fill the first to exactly its capacity (10) and the rest up to the maximum of 36 (26),
   * though the counts sit in parts (stripes) that commit in parallel.
   */
  void phaseCapacitiesExact() throws Exception {
    for (int iteration = 0; iteration < CAP_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(40);
      Instant restStarts = fleet.clock.instant().plusMillis(20);
      String deployment =
          fleet.deployToAll(
              "r1",
              DeploymentOptions.builder()
                  .addPhases(Phase.first(25), Phase.rest(restStarts))
                  .maxDevices(36L)
                  .build());
      while (!fleet.clock.instant().isAfter(restStarts)) {
        Thread.sleep(5);
      }
      pollEveryDevice(fleet, iteration, decision -> {});
      List<DeviceDeployment> records = fleet.records(deployment);
      assertThat(records).hasSize(36);
      assertThat(records).filteredOn(r -> r.phase().equals(Optional.of(0))).hasSize(10);
      assertThat(records).filteredOn(r -> r.phase().equals(Optional.of(1))).hasSize(26);
      Deployment read = fleet.engine.deployment(deployment).orElseThrow();
      assertThat(read.phaseCounts()).containsExactly(10L, 26L);
      assertThat(read.handedOut()).isEqualTo(36);
      fleet.assertStatisticsRecount(deployment);
    }
  }

  /**
   * 16 threads each poll every device of {@code fleet} once, in an order of their own (drawn from
   * {@code seed}), handing each decision to {@code seen}.
   */
  private void pollEveryDevice(Fleet fleet, int seed, Consumer<PollDecision> seen)
      throws Exception {
    concurrently(
        16,
        thread -> {
          List<String> order = new ArrayList<>(fleet.devices);
          Collections.shuffle(order, new Random(seed * 100L + thread));
          for (String device : order) {
            seen.accept(fleet.poll(thread, device));
          }
        });
  }

  /**
   * Invariant 5: concurrent reports finishing the last devices of a static deployment finish it
   * once.
   */
  void staticDeploymentFinishesOnce() throws Exception {
    for (int iteration = 0; iteration < FINISH_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(threads);
      String deployment = fleet.deployToAll("r1", DeploymentOptions.defaults());
      for (String device : fleet.devices) {
        assertThat(fleet.poll(device).instructions()).isPresent();
        fleet.engine.report(device, deployment, DeviceDeploymentStatus.INSTALLING, "");
      }
      concurrently(
          threads,
          thread ->
              fleet
                  .node(thread)
                  .report(
                      fleet.devices.get(thread),
                      deployment,
                      thread % 3 == 0
                          ? DeviceDeploymentStatus.FAILURE
                          : DeviceDeploymentStatus.SUCCESS,
                      ""));
      assertThat(fleet.events)
          .filteredOn(e -> e.kind() == UpdraftEvent.Kind.DEPLOYMENT_FINISHED)
          .hasSize(1);
      Deployment finished = fleet.engine.deployment(deployment).orElseThrow();
      assertThat(finished.finished()).isPresent();
      assertThat(finished.statistics().finished()).isEqualTo(threads);
      fleet.assertStatisticsRecount(deployment);
    }
  }

  /** Invariants 3 and 4 under a storm: random polls and reports on two deployments. */
  void statisticsEqualRecount() throws Exception {
    for (int iteration = 0; iteration < STORM_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(32);
      String snapshot = fleet.deployToAll("r1", DeploymentOptions.builder().retries(1).build());
      String dynamic = fleet.deployDynamic("r2", DeploymentOptions.defaults());
      int seed = iteration;
      concurrently(
          threads,
          thread -> {
            Random random = new Random(seed * 1000L + thread);
            for (int i = 0; i < STORM_OPERATIONS_PER_THREAD; i++) {
              String device = fleet.devices.get(random.nextInt(fleet.devices.size()));
              fleet.pollAndReport(thread, device, randomStatus(random));
            }
          });
      fleet.assertStatisticsRecount(snapshot);
      fleet.assertStatisticsRecount(dynamic);
    }
  }

  private static DeviceDeploymentStatus randomStatus(Random random) {
    DeviceDeploymentStatus[] statuses = {
      DeviceDeploymentStatus.DOWNLOADING,
      DeviceDeploymentStatus.INSTALLING,
      DeviceDeploymentStatus.REBOOTING,
      DeviceDeploymentStatus.SUCCESS,
      DeviceDeploymentStatus.FAILURE
    };
    return statuses[random.nextInt(statuses.length)];
  }

  /** Invariant 1: a device polling from many threads at once gets one record per deployment. */
  void oneRecordPerDeviceAndDeployment() throws Exception {
    for (int iteration = 0; iteration < FINISH_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(2);
      List<String> deployments =
          List.of(
              fleet.deployToAll("r1", DeploymentOptions.defaults()),
              fleet.deployToAll("r2", DeploymentOptions.defaults()),
              fleet.deployDynamic("r3", DeploymentOptions.defaults()));
      String device = fleet.devices.get(0);
      concurrently(
          threads,
          thread -> {
            for (int i = 0; i < 20; i++) {
              fleet.pollAndReport(thread, device, DeviceDeploymentStatus.SUCCESS);
            }
          });
      for (String deployment : deployments) {
        assertThat(fleet.records(deployment))
            .filteredOn(r -> r.deviceId().equals(device))
            .hasSize(1);
        assertThat(fleet.engine.deployment(deployment).orElseThrow().handedOut()).isEqualTo(1);
        fleet.assertStatisticsRecount(deployment);
      }
    }
  }

  /** Invariants 3 and 4: an abort racing reports leaves every record final and the counts right. */
  void abortDuringReports() throws Exception {
    for (int iteration = 0; iteration < FINISH_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(24);
      String deployment = fleet.deployToAll("r1", DeploymentOptions.defaults());
      for (String device : fleet.devices.subList(0, 16)) {
        fleet.poll(device);
      }
      int seed = iteration;
      concurrently(
          threads,
          thread -> {
            if (thread == 0) {
              fleet.node(1).abort(deployment);
              return;
            }
            Random random = new Random(seed * 31L + thread);
            for (int i = 0; i < 10; i++) {
              String device = fleet.devices.get(random.nextInt(16));
              try {
                fleet.node(thread).report(device, deployment, randomStatus(random), "");
              } catch (UpdraftException refused) {
                // aborted or already finished
              }
            }
          });
      assertThat(fleet.records(deployment)).allSatisfy(r -> assertThat(r.isOpen()).isFalse());
      assertThat(fleet.engine.deployment(deployment).orElseThrow().finished()).isPresent();
      fleet.assertStatisticsRecount(deployment);
      for (DeviceDeployment record : fleet.records(deployment)) {
        if (record.status() == DeviceDeploymentStatus.ABORTED) {
          try {
            fleet.engine.report(record.deviceId(), deployment, DeviceDeploymentStatus.SUCCESS, "");
          } catch (dev.updraft.core.ConflictException expected) {
            // aborted is final
          }
          assertThat(fleet.engine.history(record.deviceId(), PageRequest.first(10)).items())
              .filteredOn(r -> r.deploymentId().equals(deployment))
              .extracting(DeviceDeployment::status)
              .containsExactly(DeviceDeploymentStatus.ABORTED);
        }
      }
    }
  }

  /**
   * Invariant 6: decommissioning during polls finishes records; only accepted devices take part.
   */
  void decommissionDuringPolls() throws Exception {
    for (int iteration = 0; iteration < FINISH_ITERATIONS / 2; iteration++) {
      Fleet fleet = new Fleet(24);
      String deployment = fleet.deployToAll("r1", DeploymentOptions.defaults());
      List<String> leaving = fleet.devices.subList(0, 6);
      List<String> rejected = fleet.devices.subList(6, 9);
      rejected.forEach(d -> fleet.engine.setAdmission(d, AdmissionStatus.REJECTED));
      int seed = iteration;
      concurrently(
          threads,
          thread -> {
            if (thread == 0) {
              leaving.forEach(fleet.node(1)::decommission);
              return;
            }
            Random random = new Random(seed * 7L + thread);
            for (int i = 0; i < 20; i++) {
              String device = fleet.devices.get(random.nextInt(fleet.devices.size()));
              fleet.pollAndReport(thread, device, DeviceDeploymentStatus.DOWNLOADING);
            }
          });
      List<DeviceDeployment> records = fleet.records(deployment);
      assertThat(records)
          .filteredOn(r -> leaving.contains(r.deviceId()))
          .hasSize(leaving.size())
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(DeviceDeploymentStatus.DECOMMISSIONED));
      assertThat(records).filteredOn(r -> rejected.contains(r.deviceId())).isEmpty();
      fleet.assertStatisticsRecount(deployment);
    }
  }

  /**
   * Invariant 6b: resetting devices' histories and aborting their deployments, on another node,
   * during polls and reports: the statistics, the hand-outs and the phase's counts still recount.
   */
  void resetAndAbortDuringPolls() throws Exception {
    for (int iteration = 0; iteration < FINISH_ITERATIONS / 4; iteration++) {
      Fleet fleet = new Fleet(16);
      String deployment = fleet.deployToAll("r1", DeploymentOptions.defaults());
      int seed = iteration;
      concurrently(
          threads,
          thread -> {
            Random random = new Random(seed * 11L + thread);
            if (thread == 0) {
              for (int i = 0; i < 12; i++) {
                String device = fleet.devices.get(random.nextInt(fleet.devices.size()));
                if (i % 3 == 2) {
                  fleet.node(1).abortDeviceDeployments(device);
                } else {
                  fleet.node(1).resetHistory(device);
                }
              }
              return;
            }
            for (int i = 0; i < 20; i++) {
              String device = fleet.devices.get(random.nextInt(fleet.devices.size()));
              fleet.pollAndReport(
                  thread,
                  device,
                  random.nextBoolean()
                      ? DeviceDeploymentStatus.SUCCESS
                      : DeviceDeploymentStatus.FAILURE);
            }
          });
      fleet.assertStatisticsRecount(deployment);
      Deployment read = fleet.engine.deployment(deployment).orElseThrow();
      List<DeviceDeployment> records = fleet.records(deployment);
      assertThat(read.phaseCounts()).containsExactly(read.handedOut());
      assertThat(read.phaseTried())
          .containsExactly(
              records.stream()
                  .filter(r -> r.phase().isPresent())
                  .filter(
                      r ->
                          r.status() == DeviceDeploymentStatus.SUCCESS
                              || r.status() == DeviceDeploymentStatus.FAILURE)
                  .count());
    }
  }

  /** Invariant 7: oldest first, never older than the newest finished, under concurrent polls. */
  void oldestFirst() throws Exception {
    Fleet fleet = new Fleet(16);
    List<String> deployments =
        List.of(
            fleet.deployToAll("r1", DeploymentOptions.defaults()),
            fleet.deployToAll("r2", DeploymentOptions.defaults()),
            fleet.deployToAll("r3", DeploymentOptions.defaults()));
    concurrently(
        threads,
        thread -> {
          Random random = new Random(thread);
          for (int i = 0; i < 60; i++) {
            String device = fleet.devices.get(random.nextInt(fleet.devices.size()));
            fleet.pollAndReport(thread, device, DeviceDeploymentStatus.SUCCESS);
          }
        });
    for (String device : fleet.devices) {
      List<DeviceDeployment> history = fleet.engine.history(device, PageRequest.first(10)).items();
      assertThat(history)
          .extracting(DeviceDeployment::deploymentId)
          .isEqualTo(deployments.subList(0, history.size()));
      for (int k = 1; k < history.size(); k++) {
        assertThat(history.get(k).started())
            .as("%s started after %s finished", history.get(k), history.get(k - 1))
            .isAfterOrEqualTo(history.get(k - 1).finished().orElseThrow());
      }
    }
    deployments.forEach(fleet::assertStatisticsRecount);
  }

  /**
   * The rollout guard under concurrent reports: half the devices fail, from many threads (and two
   * nodes when the store has them); the guard trips exactly once, its action happens exactly once,
   * in the commit of the report that crossed it, and statistics still recount.
   *
   * @param action what a trip does
   */
  void guardTripsOnce(GuardAction action, boolean dynamic) throws Exception {
    for (int iteration = 0; iteration < GUARD_ITERATIONS; iteration++) {
      Fleet fleet = new Fleet(GUARD_DEVICES);
      DeploymentOptions options =
          DeploymentOptions.builder().guard(Guard.of(0.25, 8, action)).build();
      String id = dynamic ? fleet.deployDynamic("r1", options) : fleet.deployToAll("r1", options);
      concurrently(
          threads,
          thread -> {
            for (int i = thread; i < fleet.devices.size(); i += threads) {
              fleet.pollAndReport(
                  thread,
                  fleet.devices.get(i),
                  i % 2 == 0 ? DeviceDeploymentStatus.FAILURE : DeviceDeploymentStatus.SUCCESS);
            }
          });
      Deployment deployment = fleet.engine.deployment(id).orElseThrow();
      List<UpdraftEvent.Kind> kinds =
          fleet.events.stream()
              .filter(e -> e.deploymentId().equals(id))
              .map(UpdraftEvent::kind)
              .toList();
      assertThat(kinds).filteredOn(k -> k == UpdraftEvent.Kind.GUARD_TRIGGERED).hasSize(1);
      GuardTrip trip = deployment.guardTrip().orElseThrow();
      assertThat(Guard.of(0.25, 8, action).isCrossed(trip.failed(), trip.tried()))
          .as("the trip's own counts cross the guard: %s", trip)
          .isTrue();
      if (action == GuardAction.PAUSE) {
        assertThat(kinds).filteredOn(k -> k == UpdraftEvent.Kind.DEPLOYMENT_PAUSED).hasSize(1);
        assertThat(deployment.paused()).isTrue();
        assertThat(deployment.isActive()).isTrue();
        assertThat(fleet.poll(fleet.devices.get(GUARD_DEVICES - 1)).instructions()).isEmpty();
      } else {
        assertThat(kinds).filteredOn(k -> k == UpdraftEvent.Kind.DEPLOYMENT_FINISHED).hasSize(1);
        assertThat(deployment.abortedByGuard()).isTrue();
        assertThat(fleet.records(id)).noneMatch(DeviceDeployment::isOpen);
      }
      fleet.assertStatisticsRecount(id);
    }
  }
}
