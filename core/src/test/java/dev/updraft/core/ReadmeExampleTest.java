package dev.updraft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Candidate;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.spi.memory.InMemoryStore;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's examples, kept compiling and true. */
class ReadmeExampleTest {
  @Test
  @DisplayName("the README's policy-engine example does what its comments say")
  void readmeExample() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    Release release =
        Release.of(
            List.of(
                Artifact.builder()
                    .id("a-rpi")
                    .name("app-2.0")
                    .addDeviceTypes("raspberrypi4")
                    .size(42_000_000)
                    .checksum("…")
                    .location(URI.create("s3://artifacts/a-rpi"))
                    .build()));
    Device device =
        Device.builder()
            .id("d1")
            .admission(AdmissionStatus.ACCEPTED)
            .state(DeviceState.of("raspberrypi4", "app-1.0"))
            .build();

    NewDeployment created =
        Deployment.create(
            DeploymentRequest.builder()
                .name("spring rollout")
                .releaseName("app-2.0")
                .addDevices("d1")
                .build(),
            Optional.of(release),
            List.of(device),
            List.of(),
            "dep-1",
            now,
            1);

    PollDecision decision =
        Rollout.poll(
            Optional.of(device),
            device.state().get(),
            List.of(),
            List.of(Candidate.snapshot(created.deployment(), release, true)),
            now);
    assertThat(decision.reason()).isEqualTo(Reason.OFFERED);
    assertThat(decision.instructions().orElseThrow().artifact().id()).isEqualTo("a-rpi");

    Outcome outcome =
        Rollout.report(
            decision.deployment().get(),
            decision.record().get(),
            DeviceDeploymentStatus.SUCCESS,
            "",
            now);
    assertThat(outcome.deployments().get(0).status(now)).isEqualTo(DeploymentStatus.FINISHED);
  }

  @Test
  @DisplayName("the README's engine example does what its comments say")
  void readmeEngineExample() {
    Updraft updraft =
        Updraft.builder(new InMemoryStore()).clock(Clock.systemUTC()).listener(event -> {}).build();

    updraft.addArtifact(
        Artifact.builder()
            .id("a-rpi")
            .name("app-2.0")
            .addDeviceTypes("raspberrypi4")
            .size(42_000_000)
            .checksum("…")
            .location(URI.create("s3://artifacts/a-rpi"))
            .build());
    updraft.register("d1", Map.of("mac", AttributeValue.text("02:00:00:00:00:01")));
    updraft.setAdmission("d1", AdmissionStatus.ACCEPTED);
    updraft.createDeployment(
        DeploymentRequest.builder()
            .name("spring rollout")
            .releaseName("app-2.0")
            .addDevices("d1")
            .build());

    PollDecision decision = updraft.poll("d1", DeviceState.of("raspberrypi4", "app-1.0"));
    assertThat(decision.reason()).isEqualTo(Reason.OFFERED);
    assertThat(decision.instructions().orElseThrow().artifact().id()).isEqualTo("a-rpi");
    DeviceDeployment reported =
        updraft.report(
            "d1", decision.instructions().get().deploymentId(), DeviceDeploymentStatus.SUCCESS, "");
    assertThat(reported.status()).isEqualTo(DeviceDeploymentStatus.SUCCESS);
  }
}
