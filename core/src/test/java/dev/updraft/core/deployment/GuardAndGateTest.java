package dev.updraft.core.deployment;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDeployment;
import static dev.updraft.core.TestData.aDevice;
import static dev.updraft.core.TestData.aRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.Device;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rollout guard and the phase gates, at their boundaries, alone and inside a deployment. */
class GuardAndGateTest {
  private static final List<Device> FLEET =
      IntStream.range(0, 10).mapToObj(i -> aDevice("d" + i, "arm6")).toList();

  @Nested
  @DisplayName("a guard")
  class Guards {
    private final Guard guard = Guard.of(0.25, 4, GuardAction.PAUSE);

    @Test
    @DisplayName("trips only once the sample is reached, and only above the ratio")
    void isCrossed() {
      assertThat(guard.isCrossed(3, 3)).as("below the sample").isFalse();
      assertThat(guard.isCrossed(1, 4)).as("at the ratio").isFalse();
      assertThat(guard.isCrossed(2, 4)).as("above the ratio").isTrue();
      assertThat(guard.isCrossed(2, 8)).as("at the ratio, larger sample").isFalse();
      assertThat(guard.isCrossed(3, 8)).isTrue();
      assertThat(Guard.of(0, 1, GuardAction.ABORT).isCrossed(0, 1)).isFalse();
      assertThat(Guard.of(0, 1, GuardAction.ABORT).isCrossed(1, 1)).isTrue();
    }

    @Test
    @DisplayName("refuses a ratio outside [0, 1) and a sample below 1, naming the field")
    void refused() {
      Guard.of(0, 1, GuardAction.PAUSE);
      Guard.of(0.999, 1, GuardAction.PAUSE);
      for (double ratio : new double[] {-0.001, 1, 1.5, Double.NaN}) {
        assertThatThrownBy(() -> Guard.of(ratio, 1, GuardAction.PAUSE))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("guard.max_failure_ratio"));
      }
      assertThatThrownBy(() -> Guard.of(0.5, 0, GuardAction.PAUSE))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("guard.min_sample"));
    }
  }

  @Nested
  @DisplayName("a phase gate")
  class Gates {
    private final PhaseGate gate = PhaseGate.of(0.75, 4);

    @Test
    @DisplayName("opens only once the sample is reached, at or above the ratio")
    void isOpen() {
      assertThat(gate.isOpen(3, 3)).as("below the sample").isFalse();
      assertThat(gate.isOpen(3, 4)).as("at the ratio").isTrue();
      assertThat(gate.isOpen(2, 4)).as("below the ratio").isFalse();
      assertThat(gate.isOpen(4, 4)).isTrue();
      assertThat(PhaseGate.of(1, 1).isOpen(1, 1)).isTrue();
      assertThat(PhaseGate.of(1, 1).isOpen(1, 2)).isFalse();
    }

    @Test
    @DisplayName("refuses a ratio outside (0, 1] and a sample below 1, naming the field")
    void refused() {
      PhaseGate.of(1, 1);
      PhaseGate.of(0.001, 1);
      for (double ratio : new double[] {0, -1, 1.001, Double.NaN}) {
        assertThatThrownBy(() -> PhaseGate.of(ratio, 1))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("gate.min_success_ratio"));
      }
      assertThatThrownBy(() -> PhaseGate.of(0.5, 0))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("gate.min_sample"));
    }
  }

  private static Deployment deployment(DeploymentOptions options) {
    return aDeployment(
        "dep",
        aRelease("r1", "arm6"),
        FLEET,
        FLEET.stream().map(Device::id).toList(),
        options,
        T0,
        1);
  }

  /** {@code deployment} with a device of {@code phase} admitted and finished as {@code to}. */
  private static Deployment finish(
      Deployment deployment, int phase, DeviceDeploymentStatus to, Instant now) {
    return deployment
        .admit(phase, DeviceDeploymentStatus.PENDING, now)
        .count(DeviceDeploymentStatus.PENDING, to, Optional.of(phase), now);
  }

  @Test
  @DisplayName("counting: a success and a failure are tried, only the failure failed")
  void count_triedAndFailed() {
    Deployment deployment = deployment(DeploymentOptions.defaults());
    Deployment succeeded = finish(deployment, 0, DeviceDeploymentStatus.SUCCESS, T0);
    assertThat(succeeded.guardTried()).isEqualTo(1);
    assertThat(succeeded.guardFailed()).isZero();
    assertThat(succeeded.phaseTried()).containsExactly(1L);
    assertThat(succeeded.phaseSucceeded()).containsExactly(1L);

    Deployment failed = finish(succeeded, 0, DeviceDeploymentStatus.FAILURE, T0);
    assertThat(failed.guardTried()).isEqualTo(2);
    assertThat(failed.guardFailed()).isEqualTo(1);
    assertThat(failed.phaseTried()).containsExactly(2L);
    assertThat(failed.phaseSucceeded()).containsExactly(1L);

    Deployment moving =
        failed
            .admit(0, DeviceDeploymentStatus.PENDING, T0)
            .count(
                DeviceDeploymentStatus.PENDING,
                DeviceDeploymentStatus.DOWNLOADING,
                Optional.of(0),
                T0);
    assertThat(moving.guardTried()).as("an open status is not tried").isEqualTo(2);
  }

  @Test
  @DisplayName("a guard that trips pauses (or aborts) the deployment in the same change, once")
  void guard_tripsInTheCountingChange() {
    Deployment pausing =
        deployment(DeploymentOptions.builder().guard(Guard.of(0.4, 2, GuardAction.PAUSE)).build());
    Deployment one = finish(pausing, 0, DeviceDeploymentStatus.FAILURE, T0);
    assertThat(one.paused()).as("below the sample").isFalse();
    Deployment two = finish(one, 0, DeviceDeploymentStatus.SUCCESS, T0);
    assertThat(two.paused()).isTrue();
    assertThat(two.guardTrip()).hasValueSatisfying(t -> assertThat(t.failed()).isEqualTo(1));
    assertThat(two.resume().guardTried()).as("a resumed guard counts afresh").isZero();

    Deployment aborting =
        deployment(DeploymentOptions.builder().guard(Guard.of(0.4, 2, GuardAction.ABORT)).build());
    Deployment aborted =
        finish(
            finish(aborting, 0, DeviceDeploymentStatus.FAILURE, T0),
            0,
            DeviceDeploymentStatus.FAILURE,
            T0);
    assertThat(aborted.finished()).isPresent();
    assertThat(aborted.abortedByGuard()).isTrue();
  }

  @Test
  @DisplayName("a gated phase opens at its start only once the previous phase meets the gate")
  void gate_holdsThePhase() {
    Instant second = T0.plus(Duration.ofHours(1));
    Deployment gated =
        deployment(
            DeploymentOptions.builder()
                .addPhases(Phase.first(20), Phase.rest(second).withGate(PhaseGate.of(0.5, 2)))
                .build());
    Instant later = second.plus(Duration.ofMinutes(1));
    assertThat(gated.phaseStatuses(later).get(1).isOpen()).as("no sample yet").isFalse();

    Deployment half =
        finish(
            finish(gated, 0, DeviceDeploymentStatus.SUCCESS, T0),
            0,
            DeviceDeploymentStatus.FAILURE,
            T0);
    assertThat(half.phaseStatuses(T0).get(1).isOpen()).as("before its start").isFalse();
    assertThat(half.phaseStatuses(later).get(1).isOpen()).as("half succeeded, gate 0.5").isTrue();

    Deployment failing =
        finish(
            finish(gated, 0, DeviceDeploymentStatus.FAILURE, T0),
            0,
            DeviceDeploymentStatus.FAILURE,
            T0);
    assertThat(failing.phaseStatuses(later).get(1).isOpen()).isFalse();
  }

  @Test
  @DisplayName("a guard trip says its failure ratio and reads as a sentence")
  void guardTrip() {
    GuardTrip trip = GuardTrip.of(1, 4, T0, GuardAction.PAUSE);
    assertThat(trip.ratio()).isEqualTo(0.25);
    assertThat(trip.toString())
        .isEqualTo("guard tripped at " + T0 + ": 1 of 4 devices failed (0.25), pause");
  }

  @Test
  @DisplayName("statistics are equal, and hash alike, exactly when every count is")
  void statisticsEquality() {
    Statistics some = Statistics.empty().plus(DeviceDeploymentStatus.SUCCESS, 2);
    Statistics same = Statistics.of(java.util.Map.of(DeviceDeploymentStatus.SUCCESS, 2L));
    Statistics other = Statistics.empty().plus(DeviceDeploymentStatus.FAILURE, 2);
    assertThat(some).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    assertThat(some.hashCode()).isNotEqualTo(other.hashCode());
    assertThat(some.toString()).contains("success=2", "failure=0");
  }
}
