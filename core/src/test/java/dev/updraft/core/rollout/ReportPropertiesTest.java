package dev.updraft.core.rollout;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDevice;
import static dev.updraft.core.TestData.aRelease;
import static dev.updraft.core.TestData.aRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.UpdraftException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Statistics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ReportPropertiesTest {
  /** A step: a report of a status a device may send, or (null) the user aborting. */
  private static Gen<List<DeviceDeploymentStatus>> steps() {
    List<DeviceDeploymentStatus> choices =
        Arrays.stream(DeviceDeploymentStatus.values())
            .filter(DeviceDeploymentStatus::isReportable)
            .toList();
    Gen<DeviceDeploymentStatus> step =
        Generate.frequency(
            org.quicktheories.api.Pair.of(12, Generate.pick(choices)),
            org.quicktheories.api.Pair.of(1, Generate.constant(DeviceDeploymentStatus.ABORTED)));
    return lists().of(step).ofSizeBetween(1, 12);
  }

  @Test
  @DisplayName(
      "random report sequences never leave the transition table, a finished status never changes,"
          + " and statistics always equal a recount")
  void reports_followTheTable() {
    qt().withExamples(EXAMPLES)
        .forAll(steps(), integers().between(0, 2))
        .checkAssert(
            (steps, retries) -> {
              Fleet fleet = new Fleet().add(aDevice("d1", "arm6")).add(aRelease("r1", "arm6"));
              fleet.deploy(
                  "dep",
                  aRequest("r1")
                      .addDevices("d1")
                      .options(DeploymentOptions.builder().retries(retries).build())
                      .build(),
                  T0);
              fleet.poll("d1", T0);
              for (DeviceDeploymentStatus step : steps) {
                DeviceDeployment before = fleet.record("d1", "dep");
                Deployment deploymentBefore = fleet.deployment("dep");
                try {
                  if (step == DeviceDeploymentStatus.ABORTED) {
                    fleet.abort("dep", T0);
                  } else {
                    fleet.report("d1", "dep", step, T0);
                  }
                } catch (UpdraftException refused) {
                  assertThat(fleet.record("d1", "dep"))
                      .as("a refusal changes nothing")
                      .isEqualTo(before);
                  assertThat(fleet.deployment("dep")).isEqualTo(deploymentBefore);
                }
                DeviceDeployment after = fleet.record("d1", "dep");
                if (before.status().isFinished()) {
                  assertThat(after.status()).as("finished is final").isEqualTo(before.status());
                }
                assertThat(after.attempts()).isBetween(1, retries + 1);
                assertThat(fleet.deployment("dep").statistics())
                    .as("statistics equal a recount")
                    .isEqualTo(Statistics.of(Map.of(after.status(), 1L)));
                assertThat(fleet.deployment("dep").isActive()).isEqualTo(after.isOpen());
              }
            });
  }
}
