package dev.updraft.core;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Test-data builders shared by core's tests. */
public final class TestData {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private TestData() {}

  /** An artifact {@code id} of release {@code release1}; device types and size still to set. */
  public static Artifact.Builder anArtifact(String id) {
    return Artifact.builder()
        .id(id)
        .name("release1")
        .checksum("sum-" + id)
        .location(URI.create("s3://bucket/" + id));
  }

  /** An artifact {@code id} of {@code release} for {@code types}. */
  public static Artifact anArtifact(String id, String release, String... types) {
    return Artifact.builder()
        .id(id)
        .name(release)
        .addDeviceTypes(types)
        .size(100)
        .checksum("sum-" + id)
        .location(URI.create("s3://bucket/" + id))
        .build();
  }

  public static Release aRelease(String name, String... types) {
    return Release.of(anArtifact(name + "-art", name, types));
  }

  /** An accepted device {@code id} of type {@code type} running {@code v0}. */
  public static Device aDevice(String id, String type) {
    return Device.builder()
        .id(id)
        .admission(AdmissionStatus.ACCEPTED)
        .state(DeviceState.of(type, "v0"))
        .build();
  }

  public static DeploymentRequest.Builder aRequest(String release) {
    return DeploymentRequest.builder().name("rollout of " + release).releaseName(release);
  }

  /** A deployment of {@code release} to the listed devices, created at {@code created}. */
  public static Deployment aDeployment(
      String id,
      Release release,
      List<Device> fleet,
      List<String> devices,
      DeploymentOptions options,
      Instant created,
      long sequence) {
    return Deployment.create(
            aRequest(release.name()).addAllDevices(devices).options(options).build(),
            Optional.of(release),
            fleet,
            List.of(),
            id,
            created,
            sequence)
        .deployment();
  }
}
