package dev.updraft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.DeploymentPreview;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.engine.UpdraftEvent;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.spi.UpdraftStore;
import dev.updraft.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * DOMAIN.md §7 over an adapter, one scenario each, on a manual clock: the guard's pause and resume,
 * phase gates, progress timeouts and their sweep, explain and preview, and the events they publish.
 * The concurrent guard checks are in {@link EngineInvariantsKit}.
 */
final class SaferRolloutsKit {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private final Supplier<UpdraftStore> stores;

  SaferRolloutsKit(Supplier<UpdraftStore> stores) {
    this.stores = stores;
  }

  /**
   * An engine over a fresh store with {@code devices} accepted devices of type "arm", running v0.
   */
  private final class Fleet {
    final ManualClock clock = new ManualClock(T0);
    final List<UpdraftEvent> events = new ArrayList<>();
    final Updraft engine;
    final List<String> devices = new ArrayList<>();

    Fleet(int devices) {
      AtomicLong ids = new AtomicLong();
      engine =
          Updraft.builder(stores.get())
              .clock(clock)
              .ids(() -> "id-" + ids.incrementAndGet())
              .listener(events::add)
              .build();
      for (int i = 0; i < devices; i++) {
        add(String.format("dev-%02d", i), "arm");
      }
      release("r1", "arm");
    }

    void add(String id, String type) {
      KitFleets.acceptedDevice(engine, id, type);
      devices.add(id);
    }

    void release(String name, String type) {
      KitFleets.release(engine, name, type);
    }

    String deploy(List<String> to, DeploymentOptions options) {
      return engine
          .createDeployment(
              DeploymentRequest.builder()
                  .name("r1 to " + to.size())
                  .releaseName("r1")
                  .addAllDevices(to)
                  .options(options)
                  .build())
          .deployment()
          .id();
    }

    PollDecision poll(String device) {
      return engine.poll(device, DeviceState.of("arm", "v0"));
    }

    /**
     * Polls and reports {@code status}; the poll must have offered {@code deployment}.
     *
     * @param device the device
     * @param deployment the deployment
     * @param status the status
     */
    void run(String device, String deployment, DeviceDeploymentStatus status) {
      assertThat(poll(device).instructions()).as(device).isPresent();
      engine.report(device, deployment, status, "");
    }

    Deployment deployment(String id) {
      return engine.deployment(id).orElseThrow();
    }

    DeviceDeployment record(String deployment, String device) {
      return engine.deviceDeployment(deployment, device).orElseThrow();
    }

    List<UpdraftEvent.Kind> kinds(String deployment) {
      return events.stream()
          .filter(e -> e.deploymentId().equals(deployment))
          .map(UpdraftEvent::kind)
          .filter(k -> k != UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED)
          .toList();
    }
  }

  void guardResumeCountsAfresh() {
    Fleet fleet = new Fleet(8);
    String id =
        fleet.deploy(
            fleet.devices,
            DeploymentOptions.builder().guard(Guard.of(0.5, 2, GuardAction.PAUSE)).build());
    fleet.run("dev-00", id, DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.deployment(id).paused()).as("one failure is below the sample").isFalse();
    fleet.run("dev-01", id, DeviceDeploymentStatus.FAILURE);
    Deployment paused = fleet.deployment(id);
    assertThat(paused.paused()).isTrue();
    assertThat(paused.guardTrip().orElseThrow().failed()).isEqualTo(2);
    assertThat(paused.guardTrip().orElseThrow().at()).isEqualTo(T0);
    assertThat(fleet.poll("dev-02").reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);
    assertThat(fleet.poll("dev-02").verdicts())
        .extracting(Verdict::reason)
        .containsExactly(Reason.PAUSED);

    fleet.clock.advance(Duration.ofMinutes(1));
    fleet.engine.resume(id);
    fleet.run("dev-02", id, DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.deployment(id).paused())
        .as("counting afresh: 1 of 1 is below the sample")
        .isFalse();
    fleet.run("dev-03", id, DeviceDeploymentStatus.SUCCESS);
    fleet.run("dev-04", id, DeviceDeploymentStatus.SUCCESS);
    assertThat(fleet.deployment(id).paused()).as("1 failure of 3").isFalse();
    fleet.run("dev-05", id, DeviceDeploymentStatus.FAILURE);
    fleet.run("dev-06", id, DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.deployment(id).paused()).as("3 failures of 5").isTrue();
    assertThat(fleet.kinds(id))
        .containsExactly(
            UpdraftEvent.Kind.DEPLOYMENT_CREATED,
            UpdraftEvent.Kind.DEPLOYMENT_STARTED,
            UpdraftEvent.Kind.GUARD_TRIGGERED,
            UpdraftEvent.Kind.DEPLOYMENT_PAUSED,
            UpdraftEvent.Kind.DEPLOYMENT_RESUMED,
            UpdraftEvent.Kind.GUARD_TRIGGERED,
            UpdraftEvent.Kind.DEPLOYMENT_PAUSED);
  }

  void phaseGate() {
    Fleet fleet = new Fleet(10);
    Instant second = T0.plus(Duration.ofMinutes(10));
    String id =
        fleet.deploy(
            fleet.devices,
            DeploymentOptions.builder()
                .addPhases(Phase.first(50), Phase.rest(second).withGate(PhaseGate.of(0.75, 4)))
                .build());
    for (int i = 0; i < 5; i++) {
      DeviceDeploymentStatus status =
          i < 3 ? DeviceDeploymentStatus.SUCCESS : DeviceDeploymentStatus.FAILURE;
      fleet.run(fleet.devices.get(i), id, status);
    }
    fleet.clock.advance(Duration.ofMinutes(11));
    List<PhaseStatus> phases = fleet.deployment(id).phaseStatuses(fleet.clock.instant());
    assertThat(phases.get(0).full()).isTrue();
    assertThat(phases.get(1).waitingFor().orElseThrow())
        .contains("phase 0 to reach a success ratio of 0.75")
        .contains("now 3 of 5");
    PollDecision waiting = fleet.poll("dev-05");
    assertThat(waiting.instructions()).isEmpty();
    assertThat(waiting.verdicts().get(0).reason()).isEqualTo(Reason.PHASE_NOT_OPEN);

    // a second deployment whose gate its first phase passes: it opens once its start comes
    String second2 =
        fleet.deploy(
            List.of("dev-05", "dev-06", "dev-07", "dev-08", "dev-09"),
            DeploymentOptions.builder()
                .addPhases(
                    Phase.first(40),
                    Phase.rest(T0.plus(Duration.ofMinutes(12))).withGate(PhaseGate.of(0.5, 2)))
                .build());
    fleet.engine.abort(id);
    fleet.run("dev-05", second2, DeviceDeploymentStatus.SUCCESS);
    fleet.run("dev-06", second2, DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.poll("dev-07").verdicts().get(0).detail()).contains("its start at");
    fleet.clock.advance(Duration.ofMinutes(2));
    assertThat(fleet.deployment(second2).phaseStatuses(fleet.clock.instant()).get(1).isOpen())
        .isTrue();
    assertThat(fleet.poll("dev-07").instructions()).isPresent();
  }

  void progressTimeout() {
    Fleet fleet = new Fleet(4);
    String id =
        fleet.deploy(
            fleet.devices,
            DeploymentOptions.builder().retries(1).progressTimeout(Duration.ofMinutes(10)).build());
    for (String device : fleet.devices) {
      assertThat(fleet.poll(device).instructions()).isPresent();
    }
    assertThat(fleet.record(id, "dev-00").deadline()).contains(T0.plus(Duration.ofMinutes(10)));
    fleet.clock.advance(Duration.ofMinutes(5));
    fleet.engine.report("dev-00", id, DeviceDeploymentStatus.DOWNLOADING, "");
    fleet.clock.advance(Duration.ofMinutes(6)); // dev-00 reported 6 minutes ago, the rest 11

    assertThat(fleet.engine.sweepTimeouts(2)).as("a bounded batch").isEqualTo(2);
    assertThat(fleet.engine.sweepTimeouts(100)).isEqualTo(1);
    assertThat(fleet.engine.sweepTimeouts(100)).as("nothing more is overdue").isZero();
    DeviceDeployment retried = fleet.record(id, "dev-01");
    assertThat(retried.status()).isEqualTo(DeviceDeploymentStatus.PENDING);
    assertThat(retried.substatus()).isEqualTo(Rollout.TIMED_OUT_SUBSTATUS);
    assertThat(retried.attempts()).isEqualTo(2);
    assertThat(fleet.record(id, "dev-00").status()).isEqualTo(DeviceDeploymentStatus.DOWNLOADING);

    fleet.clock.advance(Duration.ofMinutes(11));
    PollDecision overdue = fleet.poll("dev-01");
    assertThat(overdue.reason())
        .as("a poll by an overdue device applies it")
        .isEqualTo(Reason.TIMED_OUT);
    assertThat(fleet.record(id, "dev-01").status()).isEqualTo(DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.engine.sweepTimeouts(100)).isEqualTo(3); // dev-00 (1st), dev-02, dev-03 (2nd)
    assertThat(fleet.record(id, "dev-02").status()).isEqualTo(DeviceDeploymentStatus.FAILURE);
    assertThat(fleet.record(id, "dev-00").status()).isEqualTo(DeviceDeploymentStatus.PENDING);
    assertThat(fleet.deployment(id).statistics().count(DeviceDeploymentStatus.FAILURE))
        .isEqualTo(3);
    assertThat(fleet.events)
        .filteredOn(e -> e.kind() == UpdraftEvent.Kind.RECORD_TIMED_OUT)
        .hasSize(7);
  }

  void explain() {
    Fleet fleet = new Fleet(3);
    fleet.add("other", "x86");
    fleet.release("r2", "arm");
    String first = fleet.deploy(List.of("dev-00", "dev-01", "other"), DeploymentOptions.defaults());
    String paused =
        fleet
            .engine
            .createDeployment(
                DeploymentRequest.builder()
                    .name("r2")
                    .releaseName("r2")
                    .addDevices("dev-00", "dev-02")
                    .build())
            .deployment()
            .id();
    fleet.engine.pause(paused);

    Explanation forOther = fleet.engine.explain("other");
    assertThat(forOther.offered()).isEmpty();
    assertThat(forOther.verdicts())
        .extracting(Verdict::reason)
        .containsExactly(Reason.NO_ARTIFACT, Reason.NOT_TARGETED);
    assertThat(forOther.verdicts().get(0).detail()).contains("x86");

    Explanation forDev0 = fleet.engine.explain("dev-00");
    assertThat(forDev0.verdicts())
        .extracting(Verdict::reason)
        .containsExactly(Reason.OFFERED, Reason.PAUSED);
    assertThat(forDev0.offered()).contains(first);
    assertThat(fleet.poll("dev-00").instructions().orElseThrow().deploymentId()).isEqualTo(first);
    assertThat(fleet.engine.explain("dev-00").verdicts().get(0).reason())
        .isEqualTo(Reason.CONTINUED);

    Explanation forDev2 = fleet.engine.explain("dev-02", DeviceState.of("arm", "r2"));
    assertThat(forDev2.verdicts())
        .extracting(Verdict::reason)
        .containsExactly(Reason.NOT_TARGETED, Reason.PAUSED);
    assertThat(forDev2.offered())
        .isEqualTo(fleet.poll("dev-02").instructions().map(i -> i.deploymentId()));
  }

  void preview() {
    Fleet fleet = new Fleet(6);
    fleet.add("x-1", "x86");
    fleet.add("x-2", "x86");
    String existing =
        fleet.deploy(List.of("dev-00", "dev-01", "x-1"), DeploymentOptions.defaults());
    DeploymentPreview preview =
        fleet.engine.preview(
            DeploymentRequest.builder()
                .name("everyone")
                .releaseName("r1")
                .allDevices(true)
                .options(
                    DeploymentOptions.builder()
                        .addPhases(Phase.first(25), Phase.rest(T0.plus(Duration.ofHours(1))))
                        .build())
                .build());
    assertThat(preview.devices()).isEqualTo(8);
    assertThat(preview.phaseSizes()).containsExactly(2L, 6L);
    assertThat(preview.noCompatibleArtifact()).containsExactly(Map.entry("x86", 2L));
    assertThat(preview.overlapping()).containsExactly(Map.entry(existing, 3L));
    assertThat(fleet.engine.deployments(dev.updraft.core.engine.PageRequest.first(10)).items())
        .as("a preview creates nothing")
        .hasSize(1);
  }
}
