package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.MissingFieldException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The lifecycle of DOMAIN.md §1–§6, sentence by sentence, through the engine and a real store. */
class UpdraftScenarioTest {
  private final ManualClock clock = new ManualClock(T0);
  private final AtomicLong ids = new AtomicLong();
  private final List<UpdraftEvent> events = new ArrayList<>();
  private final InMemoryStore store = new InMemoryStore();
  private final Updraft updraft =
      Updraft.builder(store)
          .clock(clock)
          .ids(() -> "id" + ids.incrementAndGet())
          .listener(events::add)
          .build();

  private static final DeviceState ARM6 = DeviceState.of("arm6", "v0");

  private void accepted(String id, String type) {
    updraft.register(id, Map.of("mac", AttributeValue.text(id)));
    updraft.setAdmission(id, AdmissionStatus.ACCEPTED);
    updraft.reportInventory(
        id,
        Map.of(
            "device_type", AttributeValue.text(type), "artifact_name", AttributeValue.text("v0")));
  }

  private String deploy(DeploymentRequest.Builder request) {
    String id = updraft.createDeployment(request.build()).deployment().id();
    clock.advance(Duration.ofSeconds(1));
    return id;
  }

  private DeploymentRequest.Builder request(String release) {
    return DeploymentRequest.builder().name("to " + release).releaseName(release);
  }

  private SavedFilter filter(String name, String attribute, Object value) {
    return updraft.saveFilter(
        name, Filter.of(FilterTerm.of(Scope.INVENTORY, attribute, Operator.EQ, value)));
  }

  private void succeed(String device, String deployment) {
    updraft.report(device, deployment, DeviceDeploymentStatus.DOWNLOADING, "");
    updraft.report(device, deployment, DeviceDeploymentStatus.SUCCESS, "");
  }

  /** Reports the device's inventory as an arm6 on v0 in region eu. */
  private void inEurope(String device) {
    updraft.reportInventory(
        device,
        Map.of(
            "device_type", AttributeValue.text("arm6"),
            "artifact_name", AttributeValue.text("v0"),
            "region", AttributeValue.text("eu")));
  }

  private String offered(String device) {
    return updraft.poll(device, ARM6).instructions().orElseThrow().deploymentId();
  }

  @BeforeEach
  void fleet() {
    for (String release : List.of("r1", "r2", "r3")) {
      updraft.addArtifact(anArtifact(release + "-arm6", release, "arm6"));
    }
    for (int i = 1; i <= 4; i++) {
      accepted("d" + i, "arm6");
    }
  }

  @Nested
  @DisplayName("Targets")
  class Targets {
    @Test
    @DisplayName(
        "a static-group deployment takes the group's members at creation and ignores devices added later")
    void staticGroup_snapshotAtCreation() {
      updraft.assignGroup("d1", "lab");
      String deployment = deploy(request("r1").group("lab"));
      updraft.assignGroup("d2", "lab");

      assertThat(offered("d1")).isEqualTo(deployment);
      assertThat(updraft.poll("d2", ARM6).reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);
      assertThat(updraft.groupMembers("lab", PageRequest.first(10)).items())
          .extracting(Device::id)
          .containsExactly("d1", "d2");
    }

    @Test
    @DisplayName("unknown and not-accepted ids are left out of a device list and reported back")
    void deviceList_reportsExcluded() {
      updraft.register("pending-one", Map.of());
      NewDeployment created =
          updraft.createDeployment(request("r1").addDevices("d1", "ghost", "pending-one").build());

      assertThat(created.snapshot()).containsExactly("d1");
      assertThat(created.unknown()).containsExactly("ghost");
      assertThat(created.notAccepted()).containsExactly("pending-one");
      assertThat(
              updraft.statistics(created.deployment().id()).count(DeviceDeploymentStatus.PENDING))
          .as("targeted devices that have not polled count as pending")
          .isEqualTo(1);
    }

    @Test
    @DisplayName("a deployment to all devices targets every accepted device at creation")
    void allDevices() {
      String deployment = deploy(request("r1").allDevices(true));
      accepted("late", "arm6");

      assertThat(updraft.deployment(deployment).orElseThrow().target().initialDeviceCount())
          .isEqualTo(4);
      assertThat(updraft.poll("late", ARM6).instructions()).isEmpty();
    }

    @Test
    @DisplayName(
        "a dynamic deployment picks up a device that starts matching later, and never finishes until stopped")
    void dynamic_picksUpLaterMatches_untilStopped() {
      String deployment = deploy(request("r1").filter(filter("eu", "region", "eu")));
      assertThat(updraft.poll("d1", ARM6).instructions()).isEmpty();

      inEurope("d1");
      assertThat(offered("d1")).isEqualTo(deployment);
      succeed("d1", deployment);

      assertThat(updraft.deployment(deployment).orElseThrow().status(clock.instant()))
          .isEqualTo(DeploymentStatus.INPROGRESS);
      updraft.stop(deployment);
      assertThat(updraft.deployment(deployment).orElseThrow().status(clock.instant()))
          .isEqualTo(DeploymentStatus.FINISHED);
      assertThatThrownBy(() -> updraft.stop(deployment))
          .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    @DisplayName(
        "a dynamic deployment created after a poll, by this engine or another over the same store, is offered at the next poll")
    void dynamic_createdAfterAPoll_isSeen() {
      Updraft otherNode =
          Updraft.builder(store).clock(clock).ids(() -> "other" + ids.incrementAndGet()).build();
      assertThat(updraft.poll("d1", ARM6).reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);

      String here = deploy(request("r1").filter(filter("arm6s", "device_type", "arm6")));
      assertThat(offered("d1")).isEqualTo(here);
      succeed("d1", here);
      assertThat(updraft.poll("d1", ARM6).reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);

      clock.advance(Duration.ofSeconds(1));
      String there =
          otherNode
              .createDeployment(
                  request("r2")
                      .filter(
                          otherNode.saveFilter(
                              "arm6s-too",
                              Filter.of(
                                  FilterTerm.of(
                                      Scope.INVENTORY, "device_type", Operator.EQ, "arm6"))))
                      .build())
              .deployment()
              .id();
      assertThat(offered("d1")).isEqualTo(there);
    }

    @Test
    @DisplayName("a capped dynamic deployment finishes when its maximum of devices has finished")
    void dynamic_capped() {
      String deployment =
          deploy(
              request("r1")
                  .filter(filter("arm6s", "device_type", "arm6"))
                  .options(DeploymentOptions.builder().maxDevices(2L).build()));

      assertThat(offered("d1")).isEqualTo(deployment);
      assertThat(offered("d2")).isEqualTo(deployment);
      assertThat(updraft.poll("d3", ARM6).verdicts())
          .extracting(v -> v.reason())
          .containsExactly(Reason.FULL);
      succeed("d1", deployment);
      succeed("d2", deployment);

      assertThat(updraft.deployment(deployment).orElseThrow().finished()).contains(clock.instant());
      assertThatThrownBy(() -> updraft.stop("nope")).isInstanceOf(NotFoundException.class);
    }
  }

  @Nested
  @DisplayName("Which deployment a device gets")
  class Order {
    @Test
    @DisplayName("a device gets the oldest deployment first and finishes each once")
    void oldestFirst_finishesOnce() {
      String first = deploy(request("r1").addDevices("d1"));
      String second = deploy(request("r2").addDevices("d1"));

      assertThat(offered("d1")).isEqualTo(first);
      succeed("d1", first);
      assertThat(offered("d1")).isEqualTo(second);
      succeed("d1", second);

      assertThat(updraft.poll("d1", ARM6).instructions()).isEmpty();
      assertThat(updraft.history("d1", PageRequest.first(10)).items())
          .extracting(DeviceDeployment::deploymentId)
          .containsExactly(first, second);
    }

    @Test
    @DisplayName(
        "a device continues its open dynamic deployment after it stops matching the filter, before a newer one")
    void openDynamic_continuedAfterTheDeviceStopsMatching() {
      inEurope("d1");
      String dynamic = deploy(request("r1").filter(filter("eu", "region", "eu")));
      assertThat(offered("d1")).isEqualTo(dynamic);
      updraft.report("d1", dynamic, DeviceDeploymentStatus.DOWNLOADING, "");
      updraft.reportInventory(
          "d1",
          Map.of(
              "device_type",
              AttributeValue.text("arm6"),
              "artifact_name",
              AttributeValue.text("v0")));
      String newer = deploy(request("r2").addDevices("d1"));

      PollDecision continued = updraft.poll("d1", ARM6);
      assertThat(continued.reason()).isEqualTo(Reason.CONTINUED);
      assertThat(continued.instructions().orElseThrow().deploymentId()).isEqualTo(dynamic);
      succeed("d1", dynamic);
      assertThat(offered("d1")).isEqualTo(newer);
    }

    @Test
    @DisplayName(
        "a device that finished a newer deployment, stopped since, is not offered an older one that opens later")
    void finishedNewerStopped_olderNotOffered() {
      String older =
          deploy(
              request("r1")
                  .addDevices("d1")
                  .options(
                      DeploymentOptions.builder()
                          .addPhases(Phase.rest(clock.instant().plus(Duration.ofHours(1))))
                          .build()));
      String newer = deploy(request("r2").filter(filter("arm6s", "device_type", "arm6")));
      assertThat(offered("d1")).isEqualTo(newer);
      succeed("d1", newer);
      updraft.stop(newer);
      clock.advance(Duration.ofHours(1));

      PollDecision decision = updraft.poll("d1", ARM6);
      assertThat(decision.reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);
      assertThat(decision.verdicts())
          .extracting(v -> v.deploymentId(), v -> v.reason())
          .containsExactly(tuple(older, Reason.OLDER_THAN_LAST_FINISHED));
    }

    @Test
    @DisplayName(
        "a preauthorized device is accepted when it registers; preauthorizing a known id is a conflict")
    void preauthorized() {
      updraft.preauthorize("pre", Map.of("mac", AttributeValue.text("02")));
      assertThat(updraft.device("pre").orElseThrow().admission())
          .isEqualTo(AdmissionStatus.PREAUTHORIZED);
      assertThat(updraft.poll("pre", ARM6).reason()).isEqualTo(Reason.NOT_ACCEPTED);

      assertThat(updraft.register("pre", Map.of("mac", AttributeValue.text("02"))).admission())
          .isEqualTo(AdmissionStatus.ACCEPTED);
      assertThatThrownBy(() -> updraft.preauthorize("d1", Map.of()))
          .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("only accepted devices take part")
    void onlyAccepted() {
      updraft.register("newcomer", Map.of());
      String deployment = deploy(request("r1").addDevices("d1", "d2"));
      updraft.setAdmission("d2", AdmissionStatus.REJECTED);

      assertThat(updraft.poll("newcomer", ARM6).reason()).isEqualTo(Reason.NOT_ACCEPTED);
      assertThat(updraft.poll("d2", ARM6).reason()).isEqualTo(Reason.NOT_ACCEPTED);
      assertThat(updraft.poll("nobody", ARM6).reason()).isEqualTo(Reason.UNKNOWN_DEVICE);
      assertThat(offered("d1")).isEqualTo(deployment);
    }

    @Test
    @DisplayName("phases with a start time in the future give nothing until then")
    void phasesInTheFuture() {
      String deployment =
          deploy(
              request("r1")
                  .addDevices("d1", "d2")
                  .options(
                      DeploymentOptions.builder()
                          .addPhases(
                              Phase.of(50, T0.plus(Duration.ofHours(1))),
                              Phase.rest(T0.plus(Duration.ofHours(2))))
                          .build()));

      assertThat(updraft.deploymentStatus(deployment)).isEqualTo(DeploymentStatus.SCHEDULED);
      assertThat(updraft.poll("d1", ARM6).verdicts())
          .extracting(v -> v.reason())
          .containsExactly(Reason.SCHEDULED);
      clock.advance(Duration.ofHours(1));
      assertThat(offered("d1")).isEqualTo(deployment);
      PollDecision held = updraft.poll("d2", ARM6);
      assertThat(held.reason()).isEqualTo(Reason.PHASE_NOT_OPEN);
      assertThat(held.verdicts())
          .extracting(v -> v.reason())
          .containsExactly(Reason.PHASE_NOT_OPEN);
      clock.advance(Duration.ofHours(1));
      assertThat(offered("d2")).isEqualTo(deployment);
    }

    @Test
    @DisplayName(
        "a device whose artifact name is the release's gets already-installed, one without a compatible artifact noartifact")
    void alreadyInstalledAndNoArtifact() {
      accepted("x86box", "x86");
      String deployment = deploy(request("r1").addDevices("d1", "x86box"));

      assertThat(updraft.poll("d1", DeviceState.of("arm6", "r1")).reason())
          .isEqualTo(Reason.ALREADY_INSTALLED);
      assertThat(updraft.poll("x86box", DeviceState.of("x86", "v0")).reason())
          .isEqualTo(Reason.NO_ARTIFACT);
      assertThat(updraft.statistics(deployment).toMap())
          .containsEntry("already-installed", 1L)
          .containsEntry("noartifact", 1L);
      assertThat(updraft.deployment(deployment).orElseThrow().finished()).isPresent();
    }
  }

  @Nested
  @DisplayName("Device deployments")
  class DeviceDeployments {
    @Test
    @DisplayName(
        "retries: a failure with attempts left returns the same deployment; the last failure is final")
    void retries() {
      String deployment =
          deploy(
              request("r1")
                  .addDevices("d1")
                  .options(DeploymentOptions.builder().retries(1).build()));
      offered("d1");
      updraft.report("d1", deployment, DeviceDeploymentStatus.FAILURE, "disk full");

      assertThat(offered("d1")).isEqualTo(deployment);
      DeviceDeployment last =
          updraft.report("d1", deployment, DeviceDeploymentStatus.FAILURE, "disk full");

      assertThat(last.status()).isEqualTo(DeviceDeploymentStatus.FAILURE);
      assertThat(last.attempts()).isEqualTo(2);
      assertThat(updraft.statistics(deployment).count(DeviceDeploymentStatus.FAILURE)).isEqualTo(1);
      assertThat(updraft.deployment(deployment).orElseThrow().finished()).isPresent();
    }

    @Test
    @DisplayName(
        "abort stops devices that never polled, and reports on aborted records are conflicts")
    void abort() {
      String deployment = deploy(request("r1").addDevices("d1", "d2"));
      offered("d1");

      Deployment aborted = updraft.abort(deployment);

      assertThat(aborted.statistics().count(DeviceDeploymentStatus.ABORTED)).isEqualTo(2);
      assertThat(updraft.poll("d2", ARM6).instructions()).isEmpty();
      assertThatThrownBy(() -> updraft.report("d1", deployment, DeviceDeploymentStatus.SUCCESS, ""))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> updraft.abort(deployment))
          .isInstanceOf(IllegalTransitionException.class);
      assertThatThrownBy(() -> updraft.report("d2", deployment, DeviceDeploymentStatus.SUCCESS, ""))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName(
        "a device polling mid-update with another state: its record fails and the poll is a conflict")
    void stateChanged() {
      String deployment = deploy(request("r1").addDevices("d1"));
      offered("d1");
      updraft.report("d1", deployment, DeviceDeploymentStatus.INSTALLING, "");

      PollDecision decision = updraft.poll("d1", DeviceState.of("arm6", "other"));

      assertThat(decision.isConflict()).isTrue();
      assertThat(updraft.history("d1", PageRequest.first(1)).items().get(0).status())
          .isEqualTo(DeviceDeploymentStatus.FAILURE);
    }

    @Test
    @DisplayName(
        "decommissioning finishes open device deployments as decommissioned and updates the statistics")
    void decommission() {
      String started = deploy(request("r1").addDevices("d1", "d2"));
      String untouched = deploy(request("r2").addDevices("d1", "d2"));
      offered("d1");
      updraft.report("d1", started, DeviceDeploymentStatus.DOWNLOADING, "");

      updraft.decommission("d1");

      assertThat(updraft.device("d1")).isEmpty();
      assertThat(updraft.statistics(started).toMap())
          .containsEntry("downloading", 0L)
          .containsEntry("decommissioned", 1L)
          .containsEntry("pending", 1L);
      assertThat(updraft.statistics(untouched).toMap())
          .containsEntry("decommissioned", 1L)
          .containsEntry("pending", 1L);
      assertThatThrownBy(() -> updraft.decommission("d1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName(
        "aborting a device's deployments finishes its open and unpolled parts as aborted; "
            + "the deployments go on for the others; it stays, and gets nothing of them")
    void abortDeviceDeployments() {
      String started = deploy(request("r1").addDevices("d1", "d2"));
      String untouched = deploy(request("r2").addDevices("d1", "d2"));
      offered("d1");
      updraft.report("d1", started, DeviceDeploymentStatus.DOWNLOADING, "");

      updraft.abortDeviceDeployments("d1");

      assertThat(updraft.device("d1")).isPresent();
      assertThat(updraft.deviceDeployment(started, "d1").orElseThrow().status())
          .isEqualTo(DeviceDeploymentStatus.ABORTED);
      assertThat(updraft.statistics(started).toMap())
          .containsEntry("downloading", 0L)
          .containsEntry("aborted", 1L)
          .containsEntry("pending", 1L);
      assertThat(updraft.statistics(untouched).toMap())
          .containsEntry("aborted", 1L)
          .containsEntry("pending", 1L);
      assertThat(updraft.deploymentStatus(started)).isNotEqualTo(DeploymentStatus.FINISHED);
      assertThat(updraft.poll("d1", ARM6).instructions()).isEmpty();
      assertThat(updraft.poll("d2", ARM6).instructions()).isPresent();
      updraft.abortDeviceDeployments("nobody");
      assertThat(updraft.statistics(untouched).toMap()).containsEntry("aborted", 1L);
    }

    @Test
    @DisplayName(
        "resetting a device's history takes back its finished records of active deployments, "
            + "which it then takes again; records of finished deployments stay")
    void resetHistory() {
      String done = deploy(request("r1").addDevices("d1"));
      offered("d1");
      succeed("d1", done);
      String snapshot = deploy(request("r2").addDevices("d1", "d2"));
      offered("d1");
      updraft.report("d1", snapshot, DeviceDeploymentStatus.FAILURE, "");
      String dynamic =
          deploy(
              request("r3")
                  .filter(filter("arm6s", "device_type", "arm6"))
                  .options(DeploymentOptions.builder().maxDevices(2).build()));
      offered("d1");
      succeed("d1", dynamic);
      assertThat(updraft.deployment(dynamic).orElseThrow().handedOut()).isEqualTo(1);

      updraft.resetHistory("d1");

      assertThat(updraft.deviceDeployment(done, "d1")).as("its deployment finished").isPresent();
      assertThat(updraft.deviceDeployment(snapshot, "d1")).isEmpty();
      assertThat(updraft.deviceDeployment(dynamic, "d1")).isEmpty();
      assertThat(updraft.statistics(snapshot).toMap())
          .containsEntry("failure", 0L)
          .containsEntry("pending", 2L);
      Deployment taken = updraft.deployment(dynamic).orElseThrow();
      assertThat(taken.statistics().total()).isZero();
      assertThat(taken.handedOut()).isZero();
      assertThat(taken.phaseTried()).containsOnly(0L);
      assertThat(taken.phaseSucceeded()).containsOnly(0L);

      assertThat(offered("d1")).as("the older one first").isEqualTo(snapshot);
      succeed("d1", snapshot);
      assertThat(offered("d1")).isEqualTo(dynamic);
      succeed("d1", dynamic);
      assertThat(updraft.statistics(snapshot).toMap()).containsEntry("success", 1L);
      assertThat(updraft.statistics(dynamic).toMap()).containsEntry("success", 1L);
      assertThat(updraft.deployment(dynamic).orElseThrow().handedOut()).isEqualTo(1);
      updraft.resetHistory("nobody");
    }

    @Test
    @DisplayName(
        "a log upload replaces the previous log; an empty one is refused and the old log stays")
    void logs() {
      String deployment = deploy(request("r1").addDevices("d1"));
      offered("d1");
      DeploymentLog first = DeploymentLog.of(List.of(LogMessage.of(T0, "info", "one")));
      updraft.uploadLog(deployment, "d1", first);
      DeploymentLog second = DeploymentLog.of(List.of(LogMessage.of(T0, "error", "two")));
      updraft.uploadLog(deployment, "d1", second);

      assertThat(updraft.log(deployment, "d1")).contains(second);
      assertThatThrownBy(() -> DeploymentLog.of(List.of()))
          .isInstanceOf(InvalidInputException.class);
      assertThat(updraft.log(deployment, "d1")).contains(second);
      assertThat(updraft.history("d1", PageRequest.first(1)).items().get(0).logAvailable())
          .isTrue();
      assertThatThrownBy(() -> updraft.uploadLog(deployment, "d2", first))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("events follow each commit: created, device deployments changed, finished")
    void events() {
      String deployment = deploy(request("r1").addDevices("d1"));
      offered("d1");
      succeed("d1", deployment);

      assertThat(events)
          .extracting(UpdraftEvent::kind)
          .containsExactly(
              UpdraftEvent.Kind.DEPLOYMENT_CREATED,
              UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
              UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
              UpdraftEvent.Kind.DEPLOYMENT_STARTED,
              UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
              UpdraftEvent.Kind.DEPLOYMENT_FINISHED);
      assertThat(events.get(4).from()).contains(DeviceDeploymentStatus.DOWNLOADING);
      assertThat(events.get(4).to()).contains(DeviceDeploymentStatus.SUCCESS);
    }
  }

  @Nested
  @DisplayName("Releases, filters and listings")
  class Management {
    @Test
    @DisplayName(
        "an artifact an unfinished deployment uses cannot be removed; once it finished, it can")
    void removeArtifact_refusedWhileInUse() {
      String deployment = deploy(request("r1").addDevices("d1"));

      assertThatThrownBy(() -> updraft.removeArtifact("r1-arm6"))
          .isInstanceOf(ConflictException.class);
      updraft.abort(deployment);
      updraft.removeArtifact("r1-arm6");

      assertThat(updraft.release("r1")).isEmpty();
      assertThatThrownBy(() -> updraft.removeArtifact("r1-arm6"))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName(
        "adding an overlapping artifact or a taken artifact id is a conflict; tags and notes are kept")
    void releases() {
      assertThatThrownBy(() -> updraft.addArtifact(anArtifact("other", "r1", "arm6")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("already has artifact r1-arm6");
      assertThatThrownBy(() -> updraft.addArtifact(anArtifact("r1-arm6", "r9", "x")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("an artifact with this id exists");
      updraft.tagRelease("r1", List.of("Stable", "stable"));
      Release annotated = updraft.annotateRelease("r1", "fixes");

      assertThat(annotated.tags()).containsExactly("stable");
      assertThat(updraft.release("r1").orElseThrow().notes()).isEqualTo("fixes");
      assertThat(updraft.releases(PageRequest.first(2)).items())
          .extracting(Release::name)
          .containsExactly("r1", "r2");
      assertThat(
              updraft
                  .releases(
                      PageRequest.after(updraft.releases(PageRequest.first(2)).next().get(), 2))
                  .items())
          .extracting(Release::name)
          .containsExactly("r3");
    }

    @Test
    @DisplayName(
        "an identical active deployment is a conflict; once it finished, the same can be created again")
    void identicalDeployment() {
      String first = deploy(request("r1").addDevices("d1"));

      assertThatThrownBy(() -> updraft.createDeployment(request("r1").addDevices("d1").build()))
          .isInstanceOfSatisfying(
              ConflictException.class, e -> assertThat(e.id()).isEqualTo(first));
      updraft.abort(first);
      assertThat(updraft.createDeployment(request("r1").addDevices("d1").build()).deployment().id())
          .isNotEqualTo(first);
    }

    @Test
    @DisplayName(
        "saved filter names are unique; deleting a filter leaves deployments made from it working")
    void filters() {
      SavedFilter arm6s = filter("arm6s", "device_type", "arm6");
      assertThatThrownBy(() -> filter("arm6s", "device_type", "x"))
          .isInstanceOf(ConflictException.class);
      String deployment = deploy(request("r1").filter(arm6s));

      updraft.deleteFilter(arm6s.id());

      assertThat(updraft.filter(arm6s.id())).isEmpty();
      assertThat(offered("d1")).isEqualTo(deployment);
      assertThat(filter("arm6s", "device_type", "arm6").name()).isEqualTo("arm6s");
      assertThat(updraft.filters(PageRequest.first(10)).items())
          .extracting(SavedFilter::name)
          .containsExactly("arm6s");
    }

    @Test
    @DisplayName("devices and deployments list in pages, with filters and queries")
    void listings() {
      updraft.setTags("d3", Map.of("owner", AttributeValue.text("ops")));
      Filter owned = Filter.of(FilterTerm.of(Scope.TAGS, "owner", Operator.EXISTS, true));
      ResultPage<Device> firstPage = updraft.devices(PageRequest.first(3));

      assertThat(firstPage.items()).extracting(Device::id).containsExactly("d1", "d2", "d3");
      assertThat(updraft.devices(PageRequest.after(firstPage.next().get(), 3)).items())
          .extracting(Device::id)
          .containsExactly("d4");
      assertThat(updraft.devices(owned, PageRequest.first(10)).items())
          .extracting(Device::id)
          .containsExactly("d3");

      String done = deploy(request("r1").addDevices("d1"));
      deploy(request("r2").addDevices("d1"));
      updraft.abort(done);
      assertThat(
              updraft
                  .deployments(
                      DeploymentQuery.builder().status(DeploymentStatus.FINISHED).build(),
                      PageRequest.first(10))
                  .items())
          .extracting(Deployment::id)
          .containsExactly(done);
      assertThat(
              updraft
                  .deployments(DeploymentQuery.builder().name("r2").build(), PageRequest.first(10))
                  .items())
          .hasSize(1);
      assertThat(
              updraft
                  .deployments(
                      DeploymentQuery.builder().addIds(done).build(), PageRequest.first(10))
                  .items())
          .extracting(Deployment::id)
          .containsExactly(done);
      String exactName = updraft.deployment(done).orElseThrow().name();
      assertThat(
              updraft
                  .deployments(
                      DeploymentQuery.builder().addNames(exactName, "no such name").build(),
                      PageRequest.first(10))
                  .items())
          .extracting(Deployment::id)
          .containsExactly(done);
      assertThat(
              updraft
                  .deviceDeployments(done, DeviceDeploymentStatus.ABORTED, PageRequest.first(10))
                  .items())
          .isEmpty();
      assertThatThrownBy(() -> PageRequest.first(0))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }

    @Test
    @DisplayName(
        "a device's reported state (type, artifact name, provides) is stored and seen by filters")
    void updateState() {
      updraft.updateState(
          "d1", DeviceState.of("arm7", "v9", Map.of("rootfs-image.checksum", "abc")));

      Device device = updraft.device("d1").orElseThrow();
      assertThat(device.state())
          .contains(DeviceState.of("arm7", "v9", Map.of("rootfs-image.checksum", "abc")));
      assertThat(
              updraft
                  .devices(
                      Filter.of(FilterTerm.of(Scope.INVENTORY, "device_type", Operator.EQ, "arm7")),
                      PageRequest.first(10))
                  .items())
          .extracting(Device::id)
          .containsExactly("d1");
      assertThatThrownBy(() -> updraft.updateState("ghost", ARM6))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("static groups: assigning moves a device, groups exist while they have members")
    void groups() {
      updraft.assignGroup("d1", "north");
      updraft.assignGroup("d2", "north");
      updraft.assignGroup("d1", "south");

      assertThat(updraft.groups()).containsExactly("north", "south");
      updraft.removeFromGroup("d1");
      assertThat(updraft.groups()).containsExactly("north");
      assertThatThrownBy(() -> updraft.assignGroup("d1", "bad name"))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> updraft.assignGroup("ghost", "north"))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> updraft.createDeployment(request("r1").group("nobody").build()))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Nested
  @DisplayName("The library's API")
  class LibraryApi {
    @Test
    @DisplayName(
        "all of a deployment's device deployments in one listing: by status, then device, any page size")
    void deviceDeployments_allStatuses() {
      String deployment = deploy(request("r1").addDevices("d1", "d2", "d3", "d4"));
      offered("d1");
      succeed("d1", deployment);
      offered("d2");
      offered("d3");
      updraft.report("d3", deployment, DeviceDeploymentStatus.FAILURE);
      offered("d4");
      List<DeviceDeployment> expected = new ArrayList<>();
      for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
        expected.addAll(
            updraft.deviceDeployments(deployment, status, PageRequest.first(100)).items());
      }
      assertThat(expected).hasSize(4);

      for (int size = 1; size <= 5; size++) {
        List<DeviceDeployment> paged = new ArrayList<>();
        PageRequest page = PageRequest.first(size);
        while (true) {
          ResultPage<DeviceDeployment> found = updraft.deviceDeployments(deployment, page);
          assertThat(found.items()).hasSizeLessThanOrEqualTo(size);
          paged.addAll(found.items());
          if (found.next().isEmpty()) {
            break;
          }
          page = PageRequest.after(found.next().get(), size);
        }
        assertThat(paged).as("pages of %d", size).isEqualTo(expected);
      }
    }

    @Test
    @DisplayName("a cursor no listing made is invalid input naming the cursor, for every listing")
    void badCursor() {
      String deployment = deploy(request("r1").addDevices("d1"));
      for (String cursor : List.of("garbage", "99:x", "nosuchstatus x")) {
        PageRequest page = PageRequest.after(cursor, 10);
        assertThatThrownBy(() -> updraft.devices(page))
            .isInstanceOfSatisfying(
                InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
        assertThatThrownBy(() -> updraft.deviceDeployments(deployment, page))
            .isInstanceOfSatisfying(
                InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
      }
    }

    @Test
    @DisplayName("an inventory with a device type and no artifact name (or the reverse) is refused")
    void halfGivenState() {
      Device before = updraft.device("d1").orElseThrow();
      assertThatThrownBy(
              () ->
                  updraft.reportInventory("d1", Map.of("device_type", AttributeValue.text("arm7"))))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact_name"));
      assertThatThrownBy(
              () ->
                  updraft.reportInventory("d1", Map.of("artifact_name", AttributeValue.text("v9"))))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("device_type"));
      assertThat(updraft.device("d1")).contains(before);
    }

    @Test
    @DisplayName("a value built without a required field names the type and the field")
    void missingField() {
      assertThatThrownBy(() -> DeploymentRequest.builder().name("no release").build())
          .isInstanceOfSatisfying(
              MissingFieldException.class,
              e -> {
                assertThat(e.fields()).containsExactly("releaseName");
                assertThat(e)
                    .hasMessage("DeploymentRequest releaseName is required and was not set");
              });
    }

    @Test
    @DisplayName("a deployment's status in one call; an unknown deployment is not found")
    void deploymentStatus() {
      String deployment = deploy(request("r1").addDevices("d1"));
      assertThat(updraft.deploymentStatus(deployment)).isEqualTo(DeploymentStatus.PENDING);
      offered("d1");
      updraft.report("d1", deployment, DeviceDeploymentStatus.DOWNLOADING);
      assertThat(updraft.deploymentStatus(deployment)).isEqualTo(DeploymentStatus.INPROGRESS);
      updraft.report("d1", deployment, DeviceDeploymentStatus.SUCCESS);
      assertThat(updraft.deploymentStatus(deployment)).isEqualTo(DeploymentStatus.FINISHED);
      assertThatThrownBy(() -> updraft.deploymentStatus("ghost"))
          .isInstanceOf(NotFoundException.class);
    }
  }
}
