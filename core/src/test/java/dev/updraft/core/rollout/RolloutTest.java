package dev.updraft.core.rollout;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDevice;
import static dev.updraft.core.TestData.aRelease;
import static dev.updraft.core.TestData.aRequest;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.ABORTED;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.DECOMMISSIONED;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.DOWNLOADING;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.FAILURE;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.INSTALLING;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.PENDING;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.group.SavedFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant T2 = T0.plusSeconds(120);
  private static final Instant T3 = T0.plusSeconds(180);

  private static SavedFilter typeFilter(String type) {
    return SavedFilter.of(
        "f-" + type,
        type + "s",
        Filter.of(FilterTerm.of(Scope.INVENTORY, "device_type", Operator.EQ, type)));
  }

  private final Fleet fleet =
      new Fleet()
          .add(aDevice("d1", "arm6"))
          .add(aDevice("d2", "arm6"))
          .add(aDevice("d3", "arm7"))
          .add(aRelease("r1", "arm6", "arm7"))
          .add(aRelease("r2", "arm6", "arm7"));

  /** A deployment {@code id} of {@code release} to {@code device} at T0, with one retry. */
  private Deployment withOneRetry(String id, String release, String device) {
    return fleet.deploy(
        id,
        aRequest(release)
            .addDevices(device)
            .options(DeploymentOptions.builder().retries(1).build())
            .build(),
        T0);
  }

  private Deployment toDevices(String id, String release, Instant at, String... devices) {
    return fleet.deploy(id, aRequest(release).addDevices(devices).build(), at);
  }

  @Nested
  class WhoGetsWhat {
    @Test
    @DisplayName("an unknown device and a device that is not accepted get nothing")
    void unknownOrNotAccepted_nothing() {
      toDevices("dep1", "r1", T0, "d1");
      assertThat(fleet.poll("ghost", DeviceState.of("arm6", "v0"), T1).reason())
          .isEqualTo(Reason.UNKNOWN_DEVICE);

      fleet.add(fleet.devices.get("d1").withAdmission(AdmissionStatus.REJECTED));
      PollDecision decision = fleet.poll("d1", T1);

      assertThat(decision.reason()).isEqualTo(Reason.NOT_ACCEPTED);
      assertThat(decision.record()).isEmpty();
      assertThat(decision.instructions()).isEmpty();
    }

    @Test
    @DisplayName("a device that leaves accepted gets nothing on its next poll, even mid-update")
    void leavesAccepted_nothingNextPoll() {
      toDevices("dep1", "r1", T0, "d1");
      assertThat(fleet.poll("d1", T1).reason()).isEqualTo(Reason.OFFERED);

      fleet.add(fleet.devices.get("d1").withAdmission(AdmissionStatus.PREAUTHORIZED));

      assertThat(fleet.poll("d1", T2).instructions()).isEmpty();
    }

    @Test
    @DisplayName("the oldest deployment is the one the device gets first")
    void oldestFirst() {
      toDevices("newer", "r2", T1, "d1");
      toDevices("older", "r1", T0, "d1");

      PollDecision first = fleet.poll("d1", T2);
      assertThat(first.instructions().orElseThrow().deploymentId()).isEqualTo("older");
      fleet.report("d1", "older", SUCCESS, T2);

      assertThat(fleet.poll("d1", T3).instructions().orElseThrow().deploymentId())
          .isEqualTo("newer");
    }

    @Test
    @DisplayName("candidates read out of creation order are refused, naming the one out of place")
    void candidatesOutOfOrder_refused() {
      Deployment newer = toDevices("newer", "r2", T1, "d2");
      Deployment older = toDevices("older", "r1", T0, "d1");
      Device device = fleet.devices.get("d1");

      // d1 is not in newer's snapshot: the poll skips newer and reads older next
      assertThatThrownBy(
              () ->
                  Rollout.poll(
                      Optional.of(device),
                      device.state().orElseThrow(),
                      List.of(),
                      List.of(
                          Candidate.snapshot(newer, fleet.releases.get("r2"), false),
                          Candidate.snapshot(older, fleet.releases.get("r1"), true)),
                      T2))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("candidates")
          .hasMessageContaining("older")
          .hasMessageContaining("oldest first");
    }

    @Test
    @DisplayName("a device finishes a deployment once")
    void finishesOnce() {
      toDevices("dep1", "r1", T0, "d1");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", SUCCESS, T1);

      PollDecision again = fleet.poll("d1", T2);

      assertThat(again.reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);
      assertThat(again.record()).isEmpty();
      assertThat(again.verdicts()).extracting(Verdict::reason).isEmpty();
      assertThat(fleet.recordsOf("d1")).hasSize(1);
    }

    @Test
    @DisplayName("a device is never offered a deployment older than the newest it has finished")
    void neverOlderThanNewestFinished() {
      fleet.deploy("old-dynamic", aRequest("r1").filter(typeFilter("arm8")).build(), T0);
      toDevices("new", "r2", T1, "d1");
      fleet.poll("d1", T2);
      fleet.report("d1", "new", SUCCESS, T2);

      fleet.add(aDevice("d1", "arm8"));
      PollDecision decision = fleet.poll("d1", T3);

      assertThat(decision.instructions()).isEmpty();
      assertThat(decision.verdicts())
          .extracting(Verdict::deploymentId, Verdict::reason)
          .containsExactly(tuple("old-dynamic", Reason.OLDER_THAN_LAST_FINISHED));
    }

    @Test
    @DisplayName("devices assigned to the group after creation are not included")
    void groupSnapshot_excludesLaterMembers() {
      fleet.add(fleet.devices.get("d1").inGroup("north"));
      fleet.deploy("dep1", aRequest("r1").group("north").build(), T0);
      fleet.add(fleet.devices.get("d2").inGroup("north"));

      assertThat(fleet.poll("d1", T1).reason()).isEqualTo(Reason.OFFERED);
      PollDecision late = fleet.poll("d2", T1);
      assertThat(late.reason()).isEqualTo(Reason.NOTHING_ELIGIBLE);
      assertThat(late.verdicts()).extracting(Verdict::reason).containsExactly(Reason.NOT_TARGETED);
    }

    @Test
    @DisplayName("a dynamic deployment takes devices that match its filter when they poll")
    void dynamic_matchesAtPoll() {
      fleet.deploy("dyn", aRequest("r1").filter(typeFilter("arm7")).build(), T0);

      assertThat(fleet.poll("d3", T1).reason()).isEqualTo(Reason.OFFERED);
      PollDecision other = fleet.poll("d1", T1);
      assertThat(other.verdicts())
          .extracting(Verdict::reason)
          .containsExactly(Reason.FILTER_MISMATCH);
      assertThat(other.verdicts().get(0).detail()).contains("device has arm6");

      fleet.add(aDevice("d4", "arm7"));
      assertThat(fleet.poll("d4", T2).reason())
          .as("a device that joined the fleet later")
          .isEqualTo(Reason.OFFERED);
      assertThat(fleet.deployment("dyn").statistics().count(PENDING)).isEqualTo(2);
    }
  }

  @Nested
  class Artifacts {
    @Test
    @DisplayName("no compatible artifact: the record is noartifact and the device gets nothing")
    void noArtifact() {
      fleet.add(aRelease("arm9only", "arm9"));
      toDevices("dep1", "arm9only", T0, "d1");

      PollDecision decision = fleet.poll("d1", T1);

      assertThat(decision.reason()).isEqualTo(Reason.NO_ARTIFACT);
      assertThat(decision.instructions()).isEmpty();
      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(DeviceDeploymentStatus.NOARTIFACT);
      assertThat(fleet.deployment("dep1").status(T1)).isEqualTo(DeploymentStatus.FINISHED);
    }

    @Test
    @DisplayName("the installed artifact name: already-installed, unless installation is forced")
    void alreadyInstalled_unlessForced() {
      toDevices("dep1", "r1", T0, "d1");
      fleet.deploy(
          "forced",
          aRequest("r1")
              .addDevices("d2")
              .options(DeploymentOptions.builder().forceInstallation(true).build())
              .build(),
          T0);

      PollDecision installed = fleet.poll("d1", DeviceState.of("arm6", "r1"), T1);
      PollDecision forced = fleet.poll("d2", DeviceState.of("arm6", "r1"), T1);

      assertThat(installed.reason()).isEqualTo(Reason.ALREADY_INSTALLED);
      assertThat(fleet.record("d1", "dep1").status())
          .isEqualTo(DeviceDeploymentStatus.ALREADY_INSTALLED);
      assertThat(forced.reason()).isEqualTo(Reason.OFFERED);
    }
  }

  @Nested
  class OpenRecords {
    @Test
    @DisplayName(
        "the same deployment is returned until it finishes, even when an older one appears")
    void continuesOpenUntilFinished() {
      toDevices("dep1", "r2", T1, "d1");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", DOWNLOADING, T1);
      toDevices("dep0", "r1", T0, "d1");

      PollDecision decision = fleet.poll("d1", T2);

      assertThat(decision.reason()).isEqualTo(Reason.CONTINUED);
      assertThat(decision.instructions().orElseThrow().deploymentId()).isEqualTo("dep1");
      assertThat(decision.record()).as("nothing to store").isEmpty();
    }

    @Test
    @DisplayName("a device polling mid-update with another state fails its record with a conflict")
    void stateChangedMidUpdate_failureAndConflict() {
      toDevices("dep1", "r1", T0, "d1");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", INSTALLING, T1);

      PollDecision decision = fleet.poll("d1", DeviceState.of("arm6", "something-else"), T2);

      assertThat(decision.isConflict()).isTrue();
      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(FAILURE);
      assertThat(fleet.record("d1", "dep1").substatus()).isEqualTo(Rollout.STATE_CHANGED_SUBSTATUS);
      assertThat(fleet.deployment("dep1").statistics().count(FAILURE)).isEqualTo(1);
      assertThat(fleet.deployment("dep1").statistics().count(INSTALLING)).isZero();
    }
  }

  @Nested
  class Reports {
    @Test
    @DisplayName("a static deployment finishes exactly when its last targeted device finishes")
    void staticFinishesWithLastDevice() {
      toDevices("dep1", "r1", T0, "d1", "d2");
      fleet.poll("d1", T1);
      fleet.poll("d2", T1);
      fleet.report("d1", "dep1", SUCCESS, T1);
      assertThat(fleet.deployment("dep1").status(T1)).isEqualTo(DeploymentStatus.INPROGRESS);

      fleet.report("d2", "dep1", FAILURE, T2);

      assertThat(fleet.deployment("dep1").finished()).contains(T2);
      assertThat(fleet.deployment("dep1").statistics().toMap())
          .containsEntry("success", 1L)
          .containsEntry("failure", 1L);
    }

    @Test
    @DisplayName("repeating a status is a no-op; a finished record cannot change")
    void repeatNoOp_finishedFinal() {
      toDevices("dep1", "r1", T0, "d1", "d2");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", DOWNLOADING, T1);

      assertThat(fleet.report("d1", "dep1", DOWNLOADING, T2).isEmpty()).isTrue();
      fleet.report("d1", "dep1", SUCCESS, T2);
      assertThatThrownBy(() -> fleet.report("d1", "dep1", FAILURE, T3))
          .isInstanceOf(IllegalTransitionException.class);
      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(SUCCESS);
    }

    @Test
    @DisplayName(
        "retries: a failure with attempts left goes back to pending; the last failure is final")
    void retries() {
      withOneRetry("dep1", "r1", "d1");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", INSTALLING, T1);

      fleet.report("d1", "dep1", FAILURE, T1);

      DeviceDeployment retried = fleet.record("d1", "dep1");
      assertThat(retried.status()).isEqualTo(PENDING);
      assertThat(retried.attempts()).isEqualTo(2);
      assertThat(fleet.deployment("dep1").statistics().count(FAILURE))
          .as("not counted as a failure")
          .isZero();
      assertThat(fleet.poll("d1", T2).instructions().orElseThrow().deploymentId())
          .isEqualTo("dep1");

      fleet.report("d1", "dep1", FAILURE, T2);

      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(FAILURE);
      assertThat(fleet.deployment("dep1").statistics().count(FAILURE)).isEqualTo(1);
      assertThat(fleet.deployment("dep1").finished()).contains(T2);
    }
  }

  /**
   * A retry after an update module that cannot roll back: the failed attempt leaves the device on
   * {@code <artifact>_INCONSISTENT}, and the retry starts from there [U].
   */
  @Nested
  class RetriesAfterAChangedState {
    @Test
    @DisplayName(
        "a retried record takes the device's state at its poll and is offered again; it succeeds"
            + " on attempt 2")
    void retry_startsFromTheStateTheDeviceIsIn() {
      withOneRetry("dep1", "r1", "d1");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", INSTALLING, T1);
      fleet.report("d1", "dep1", FAILURE, T1);
      DeviceState inconsistent = DeviceState.of("arm6", "r1_INCONSISTENT");

      PollDecision retried = fleet.poll("d1", inconsistent, T2);

      assertThat(retried.reason()).isEqualTo(Reason.CONTINUED);
      assertThat(retried.instructions().orElseThrow().deploymentId()).isEqualTo("dep1");
      assertThat(fleet.record("d1", "dep1").initialState()).contains(inconsistent);
      assertThat(fleet.record("d1", "dep1").attempts()).isEqualTo(2);
      assertThat(fleet.poll("d1", inconsistent, T2).reason()).isEqualTo(Reason.CONTINUED);

      fleet.report("d1", "dep1", SUCCESS, T3);

      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(SUCCESS);
      assertThat(fleet.record("d1", "dep1").attempts()).isEqualTo(2);
    }

    @Test
    @DisplayName(
        "once the retried attempt has begun, or on the first attempt, a changed state still fails"
            + " the record")
    void begunAttempt_changedState_stillFails() {
      withOneRetry("dep1", "r1", "d1");
      fleet.poll("d1", T1);
      assertThat(fleet.poll("d1", DeviceState.of("arm6", "elsewhere"), T1).reason())
          .isEqualTo(Reason.STATE_CHANGED);
      withOneRetry("dep2", "r2", "d2");
      fleet.poll("d2", T1);
      fleet.report("d2", "dep2", FAILURE, T1);
      fleet.poll("d2", DeviceState.of("arm6", "r2_INCONSISTENT"), T2);
      fleet.report("d2", "dep2", DOWNLOADING, T2);

      assertThat(fleet.poll("d2", DeviceState.of("arm6", "elsewhere"), T3).reason())
          .isEqualTo(Reason.STATE_CHANGED);
    }
  }

  @Nested
  class Limits {
    @Test
    @DisplayName(
        "a dynamic deployment hands out at most its maximum, and finishes when that many finished")
    void maxDevices() {
      fleet.add(aDevice("d4", "arm7"));
      fleet.deploy(
          "dyn",
          aRequest("r1")
              .filter(
                  SavedFilter.of(
                      "all",
                      "all",
                      Filter.of(
                          FilterTerm.of(Scope.INVENTORY, "device_type", Operator.EXISTS, true))))
              .options(DeploymentOptions.builder().maxDevices(2L).build())
              .build(),
          T0);

      assertThat(fleet.poll("d1", T1).reason()).isEqualTo(Reason.OFFERED);
      assertThat(fleet.poll("d2", T1).reason()).isEqualTo(Reason.OFFERED);
      PollDecision third = fleet.poll("d3", T1);

      assertThat(third.verdicts()).extracting(Verdict::reason).containsExactly(Reason.FULL);
      fleet.report("d1", "dyn", SUCCESS, T2);
      assertThat(fleet.deployment("dyn").isActive()).isTrue();
      fleet.report("d2", "dyn", FAILURE, T2);
      assertThat(fleet.deployment("dyn").status(T2)).isEqualTo(DeploymentStatus.FINISHED);
    }

    @Test
    @DisplayName("a device joins the earliest started phase with room; none open means nothing now")
    void phases() {
      fleet.add(aDevice("d4", "arm6"));
      fleet.deploy(
          "phased",
          aRequest("r1")
              .addDevices("d1", "d2", "d3", "d4")
              .options(
                  DeploymentOptions.builder().addPhases(Phase.first(50), Phase.rest(T2)).build())
              .build(),
          T0);

      assertThat(fleet.poll("d1", T1).reason()).isEqualTo(Reason.OFFERED);
      assertThat(fleet.poll("d2", T1).reason()).isEqualTo(Reason.OFFERED);
      PollDecision waiting = fleet.poll("d3", T1);
      assertThat(waiting.verdicts())
          .extracting(Verdict::reason)
          .containsExactly(Reason.PHASE_NOT_OPEN);
      assertThat(waiting.verdicts().get(0).detail())
          .isEqualTo("phase 1 waits for its start at " + T2);

      assertThat(fleet.poll("d3", T2).record().orElseThrow().phase()).contains(1);
      assertThat(fleet.deployment("phased").phaseCounts()).containsExactly(2L, 1L);
    }

    @Test
    @DisplayName("a paused deployment starts no device; devices already in it continue")
    void paused() {
      toDevices("dep1", "r1", T0, "d1", "d2");
      fleet.poll("d1", T1);
      fleet.deployments.put("dep1", fleet.deployment("dep1").pause());

      assertThat(fleet.poll("d2", T1).verdicts())
          .extracting(Verdict::reason)
          .containsExactly(Reason.PAUSED);
      assertThat(fleet.poll("d1", T1).reason()).isEqualTo(Reason.CONTINUED);
      assertThat(fleet.deployment("dep1").status(T1)).isEqualTo(DeploymentStatus.PAUSED);

      fleet.deployments.put("dep1", fleet.deployment("dep1").resume());
      assertThat(fleet.poll("d2", T2).reason()).isEqualTo(Reason.OFFERED);
    }

    @Test
    @DisplayName("a deployment whose first phase starts later is skipped as scheduled")
    void scheduled() {
      fleet.deploy(
          "later",
          aRequest("r1")
              .addDevices("d1")
              .options(DeploymentOptions.builder().addPhases(Phase.of(100, T2)).build())
              .build(),
          T0);

      assertThat(fleet.poll("d1", T1).verdicts())
          .extracting(Verdict::reason)
          .containsExactly(Reason.SCHEDULED);
      assertThat(fleet.poll("d1", T2).reason()).isEqualTo(Reason.OFFERED);
    }
  }

  @Nested
  class Endings {
    @Test
    @DisplayName("abort: open records become aborted, devices that never polled never get it")
    void abort() {
      toDevices("dep1", "r1", T0, "d1", "d2", "d3");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", SUCCESS, T1);
      fleet.poll("d2", T1);

      fleet.abort("dep1", T2);

      assertThat(fleet.record("d2", "dep1").status()).isEqualTo(ABORTED);
      assertThat(fleet.deployment("dep1").statistics().toMap())
          .containsEntry("success", 1L)
          .containsEntry("aborted", 2L)
          .containsEntry("pending", 0L);
      assertThat(fleet.deployment("dep1").status(T2)).isEqualTo(DeploymentStatus.FINISHED);
      assertThat(fleet.poll("d3", T3).instructions()).isEmpty();
      assertThatThrownBy(() -> fleet.report("d2", "dep1", DOWNLOADING, T3))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> fleet.abort("dep1", T3))
          .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    @DisplayName("decommissioning finishes the device's open records and updates the statistics")
    void decommission() {
      toDevices("dep1", "r1", T0, "d1", "d2");
      toDevices("dep2", "r2", T0.plusSeconds(1), "d1", "d2");
      fleet.poll("d1", T1);
      fleet.report("d1", "dep1", DOWNLOADING, T1);
      fleet.poll("d2", T1);
      fleet.report("d2", "dep1", SUCCESS, T1);

      fleet.decommission("d1", T2);

      assertThat(fleet.record("d1", "dep1").status()).isEqualTo(DECOMMISSIONED);
      assertThat(fleet.record("d1", "dep2").status())
          .as("never polled for it")
          .isEqualTo(DECOMMISSIONED);
      assertThat(fleet.deployment("dep1").statistics().toMap())
          .containsEntry("downloading", 0L)
          .containsEntry("decommissioned", 1L)
          .containsEntry("success", 1L);
      assertThat(fleet.deployment("dep1").finished()).contains(T2);
      assertThat(fleet.deployment("dep2").statistics().toMap())
          .containsEntry("pending", 1L)
          .containsEntry("decommissioned", 1L);
    }
  }

  @Test
  @DisplayName("each decision names, for each deployment passed over, why")
  void verdicts_explainEverySkippedDeployment() {
    toDevices("other", "r1", T0, "d2");
    fleet.deploy("dyn", aRequest("r1").filter(typeFilter("arm7")).build(), T0.plusSeconds(1));
    toDevices("mine", "r2", T0.plusSeconds(2), "d1");

    PollDecision decision = fleet.poll("d1", T1);

    assertThat(decision.verdicts())
        .extracting(Verdict::deploymentId, Verdict::reason)
        .containsExactly(
            tuple("other", Reason.NOT_TARGETED),
            tuple("dyn", Reason.FILTER_MISMATCH),
            tuple("mine", Reason.OFFERED));
  }
}
