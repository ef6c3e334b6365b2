package dev.updraft.core.rollout;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Explain agrees with the poll [U]: over random fleets, deployments (device lists and filters,
 * phases with gates, maximums, pauses, schedules, progress timeouts) and histories, the deployment
 * an explanation says is offered is exactly the one the poll then gives instructions for.
 */
class ExplainPropertiesTest {
  private static final List<String> TYPES = List.of("arm6", "arm7", "x86");

  @Test
  @DisplayName(
      "for random fleets, deployments and histories, explain's offered deployment is the "
          + "poll's, and every active deployment gets one verdict")
  void explain_agreesWithPoll() {
    qt().withExamples(EXAMPLES / 2)
        .forAll(longs().all(), integers().between(1, 40))
        .checkAssert(
            (seed, steps) -> {
              Random random = new Random(seed);
              Fleet fleet = fleet(random);
              Instant now = T0;
              for (int step = 0; step < steps; step++) {
                now = now.plus(Duration.ofSeconds(random.nextInt(120)));
                List<String> ids = List.copyOf(fleet.devices.keySet());
                String device = ids.get(random.nextInt(ids.size()));
                DeviceState state = fleet.devices.get(device).state().orElseThrow();
                long active =
                    fleet.deployments.values().stream().filter(Deployment::isActive).count();
                Explanation explanation = fleet.explain(device, state, now);
                PollDecision decision = fleet.poll(device, state, now);
                assertThat(explanation.offered())
                    .as("seed %s step %s device %s: %s", seed, step, device, explanation)
                    .isEqualTo(decision.instructions().map(Instructions::deploymentId));
                assertThat(explanation.verdicts()).hasSize((int) active);
                if (decision.instructions().isPresent()) {
                  report(fleet, random, device, decision.instructions().get().deploymentId(), now);
                }
              }
            });
  }

  private static void report(
      Fleet fleet, Random random, String device, String deployment, Instant now) {
    DeviceDeployment record = fleet.record(device, deployment);
    switch (random.nextInt(5)) {
      case 0 -> fleet.report(device, deployment, DeviceDeploymentStatus.SUCCESS, now);
      case 1 -> fleet.report(device, deployment, DeviceDeploymentStatus.FAILURE, now);
      case 2 -> fleet.report(device, deployment, DeviceDeploymentStatus.DOWNLOADING, now);
      case 3 -> {
        if (record.isOpen()) {
          fleet.timeout(device, deployment, now);
        }
      }
      default -> {} // silent: the device keeps its open record
    }
  }

  private static Fleet fleet(Random random) {
    Fleet fleet = new Fleet();
    int devices = 1 + random.nextInt(8);
    for (int i = 0; i < devices; i++) {
      fleet.add(
          Device.builder()
              .id("d" + i)
              .admission(
                  random.nextInt(6) == 0 ? AdmissionStatus.PENDING : AdmissionStatus.ACCEPTED)
              .state(DeviceState.of(pick(random, TYPES), "v" + random.nextInt(3)))
              .build());
    }
    for (int r = 0; r < 3; r++) {
      List<String> types = new ArrayList<>(TYPES);
      java.util.Collections.shuffle(types, random);
      fleet.add(
          Release.of(
              anArtifact(
                  "r" + r + "-art",
                  "v" + r,
                  types.subList(0, 1 + random.nextInt(3)).toArray(String[]::new))));
    }
    int deployments = 1 + random.nextInt(4);
    Instant created = T0.minus(Duration.ofMinutes(deployments));
    for (int n = 0; n < deployments; n++) {
      created = created.plusSeconds(1 + random.nextInt(50));
      String release = "v" + random.nextInt(3);
      DeploymentRequest.Builder request =
          DeploymentRequest.builder().name("dep" + n).releaseName(release);
      if (random.nextBoolean()) {
        for (String id : fleet.devices.keySet()) {
          if (random.nextBoolean()) {
            request.addDevices(id);
          }
        }
        if (random.nextInt(3) == 0) {
          request.addDevices("unknown-device");
        }
      } else {
        request.filter(
            SavedFilter.of(
                "f" + n,
                "filter " + n,
                Filter.of(
                    FilterTerm.of(
                        Scope.INVENTORY, "device_type", Operator.EQ, pick(random, TYPES)))));
      }
      request.options(options(random, created));
      try {
        Deployment deployment = fleet.deploy("dep" + n, request.build(), created);
        if (random.nextInt(5) == 0) {
          fleet.put(deployment.pause());
        }
      } catch (InvalidInputException | NotFoundException refused) {
        // an empty target or a phase of no device: not a deployment
      }
    }
    if (fleet.deployments.isEmpty()) {
      return fleet(random);
    }
    return fleet;
  }

  private static DeploymentOptions options(Random random, Instant created) {
    DeploymentOptions.Builder options = DeploymentOptions.builder().retries(random.nextInt(2));
    if (random.nextInt(3) == 0) {
      options.maxDevices(1 + random.nextInt(4));
    }
    if (random.nextInt(3) == 0) {
      options.progressTimeout(Duration.ofMinutes(1 + random.nextInt(5)));
    }
    switch (random.nextInt(4)) {
      case 0 -> {
        Phase rest = Phase.rest(created.plus(Duration.ofMinutes(random.nextInt(20))));
        options.addPhases(
            Phase.first(50),
            random.nextBoolean() ? rest : rest.withGate(PhaseGate.of(0.5, 1 + random.nextInt(2))));
      }
      case 1 ->
          options.addPhases(
              Phase.of(Optional.of(100), Optional.of(created.plus(Duration.ofMinutes(5)))));
      default -> {}
    }
    return options.build();
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
