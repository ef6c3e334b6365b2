package dev.updraft.core.deployment;

import static dev.updraft.core.deployment.DeviceDeploymentStatus.ABORTED;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.ALREADY_INSTALLED;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.DECOMMISSIONED;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.FAILURE;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.NOARTIFACT;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.PENDING;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.REBOOTING;
import static dev.updraft.core.deployment.DeviceDeploymentStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.InvalidInputException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentStatusTest {

  /** Mender's cases, with the maximum set to the sum of the counts. */
  static Stream<Arguments> menderCases() {
    return Stream.of(
        Arguments.of(Map.of(NOARTIFACT, 1L), DeploymentStatus.FINISHED),
        Arguments.of(Map.of(SUCCESS, 1L, NOARTIFACT, 1L), DeploymentStatus.FINISHED),
        Arguments.of(Map.of(FAILURE, 1L, ABORTED, 1L), DeploymentStatus.FINISHED),
        Arguments.of(Map.of(REBOOTING, 1L, NOARTIFACT, 1L), DeploymentStatus.INPROGRESS),
        Arguments.of(Map.of(REBOOTING, 1L, PENDING, 1L), DeploymentStatus.INPROGRESS),
        Arguments.of(Map.of(PENDING, 1L), DeploymentStatus.PENDING),
        Arguments.of(Map.of(), DeploymentStatus.PENDING),
        Arguments.of(Map.of(PENDING, 1L, ALREADY_INSTALLED, 1L), DeploymentStatus.INPROGRESS),
        Arguments.of(Map.of(ALREADY_INSTALLED, 1L), DeploymentStatus.FINISHED),
        Arguments.of(Map.of(PENDING, 1L, DECOMMISSIONED, 1L), DeploymentStatus.PENDING));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("menderCases")
  void derive_menderCases(Map<DeviceDeploymentStatus, Long> counts, DeploymentStatus expected) {
    Statistics statistics = Statistics.of(counts);

    assertThat(DeploymentStatus.derive(statistics, statistics.total(), false)).isEqualTo(expected);
  }

  @Test
  void derive_stopped_isFinished_withoutMaximumNeverFinishesOnCounts() {
    Statistics statistics = Statistics.of(Map.of(SUCCESS, 5L));

    assertThat(DeploymentStatus.derive(statistics, 0, true)).isEqualTo(DeploymentStatus.FINISHED);
    assertThat(DeploymentStatus.derive(statistics, 0, false))
        .isEqualTo(DeploymentStatus.INPROGRESS);
    assertThat(DeploymentStatus.derive(statistics, 6, false))
        .isEqualTo(DeploymentStatus.INPROGRESS);
  }

  @Test
  void statistics_alwaysHaveAll13Keys() {
    assertThat(Statistics.empty().toMap())
        .hasSize(13)
        .containsOnlyKeys(
            "pending",
            "downloading",
            "installing",
            "rebooting",
            "pause_before_installing",
            "pause_before_committing",
            "pause_before_rebooting",
            "success",
            "failure",
            "noartifact",
            "already-installed",
            "aborted",
            "decommissioned")
        .allSatisfy((key, count) -> assertThat(count).isZero());
  }

  @Test
  void statistics_countMovesAndFinishedBuckets() {
    Statistics statistics =
        Statistics.empty().plus(PENDING, 3).move(PENDING, REBOOTING).move(PENDING, SUCCESS);

    assertThat(statistics.count(PENDING)).isEqualTo(1);
    assertThat(statistics.count(REBOOTING)).isEqualTo(1);
    assertThat(statistics.finished()).isEqualTo(1);
    assertThat(statistics.total()).isEqualTo(3);
    assertThat(statistics)
        .isEqualTo(Statistics.of(Map.of(PENDING, 1L, REBOOTING, 1L, SUCCESS, 1L)));
    assertThatThrownBy(() -> Statistics.of(Map.of(SUCCESS, -1L)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("statistics.success"));
  }
}
