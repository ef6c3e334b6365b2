package dev.updraft.examples.quickstart;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Candidate;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Rollout;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small, deterministic fleet simulation on Updraft's policy engine: two releases with artifacts
 * for two device types, a deployment to a static group and one to a dynamic filter (with one
 * retry), and 20 devices that poll and report for three rounds. One device fails its first attempt;
 * one moves into the filter's region before the last round. Every decision is printed, then the
 * statistics.
 *
 * <p>The "store" here is a handful of maps: the point is to show the pure decisions of {@link
 * Rollout} and what a host must keep between them.
 */
public final class QuickstartMain {
  private static final Instant START = Instant.parse("2026-01-01T08:00:00Z");
  private static final String[] TYPES = {"raspberrypi4", "beaglebone"};

  /** This device's first attempt at an update fails. */
  private static final String FAILING_DEVICE = "d07";

  private final PrintStream out;
  private final Map<String, Device> devices = new LinkedHashMap<>();
  private final Map<String, Release> releases = new HashMap<>();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  private final Map<String, Set<String>> snapshots = new HashMap<>();
  private final Map<String, DeviceDeployment> records = new LinkedHashMap<>();

  QuickstartMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    new QuickstartMain(System.out).run();
  }

  void run() {
    for (int n = 1; n <= 20; n++) {
      String id = String.format("d%02d", n);
      Device device =
          Device.builder()
              .id(id)
              .admission(AdmissionStatus.ACCEPTED)
              .state(DeviceState.of(TYPES[n % 2], "app-1.0"))
              .putAttributes(
                  AttributeKey.of(Scope.INVENTORY, "region"),
                  AttributeValue.text(n <= 10 ? "eu" : "us"))
              .build();
      devices.put(id, n <= 6 ? device.inGroup("lab") : device);
    }
    releases.put("app-2.0", releaseFor("app-2.0"));
    releases.put("app-2.1", releaseFor("app-2.1"));
    out.println("Fleet: 20 accepted devices, d01-d06 in static group 'lab', d01-d10 in region eu");

    deploy(
        "dep-lab",
        DeploymentRequest.builder().name("lab first").releaseName("app-2.0").group("lab").build(),
        START,
        1);
    Filter euFilter =
        Filter.fromJson(
            List.of(
                Map.of("scope", "inventory", "attribute", "region", "type", "$eq", "value", "eu")));
    deploy(
        "dep-eu",
        DeploymentRequest.builder()
            .name("europe")
            .releaseName("app-2.1")
            .filter(SavedFilter.of("f-eu", "europe", euFilter))
            .options(DeploymentOptions.builder().retries(1).build())
            .build(),
        START.plusSeconds(1),
        2);

    for (int round = 1; round <= 3; round++) {
      Instant now = START.plus(Duration.ofMinutes(round));
      if (round == 3) {
        devices.computeIfPresent(
            "d11",
            (id, device) ->
                device.withAttributes(
                    Scope.INVENTORY, Map.of("region", AttributeValue.text("eu"))));
        out.printf("%nd11 reports its inventory: region is now eu%n");
      }
      out.printf("%nRound %d (%s)%n", round, now);
      for (Device device : devices.values()) {
        pollAndInstall(device, now);
      }
    }

    out.println();
    for (Deployment deployment : deployments.values()) {
      out.printf(
          "%s (%s): %s, statistics %s%n",
          deployment.id(),
          deployment.target().kind(),
          deployment.status(START.plus(Duration.ofMinutes(4))).wireName(),
          nonZero(deployment));
    }
  }

  private static Release releaseFor(String name) {
    List<Artifact> artifacts = new ArrayList<>();
    for (String type : TYPES) {
      artifacts.add(
          Artifact.builder()
              .id(name + "-" + type)
              .name(name)
              .addDeviceTypes(type)
              .putProvides("rootfs-image.version", name)
              .addClearsProvides("rootfs-image.*")
              .addPayloadTypes("rootfs-image")
              .size(type.length() * 1_000_000L)
              .checksum("sha256-of-" + name + "-" + type)
              .location(URI.create("file:///artifacts/" + name + "-" + type + ".mender"))
              .build());
    }
    return Release.of(artifacts);
  }

  private void deploy(String id, DeploymentRequest request, Instant now, long sequence) {
    NewDeployment created =
        Deployment.create(
            request,
            Optional.ofNullable(releases.get(request.releaseName())),
            devices.values(),
            deployments.values(),
            id,
            now,
            sequence);
    deployments.put(id, created.deployment());
    snapshots.put(id, Set.copyOf(created.snapshot()));
    out.printf(
        "Created %s: release %s to %s, %d devices targeted now%n",
        id,
        request.releaseName(),
        created.deployment().target().kind(),
        created.deployment().target().initialDeviceCount());
  }

  /** One poll, and when the device gets instructions, its reports through to the end. */
  private void pollAndInstall(Device device, Instant now) {
    DeviceState state = device.state().orElseThrow();
    PollDecision decision =
        Rollout.poll(Optional.of(device), state, recordsOf(device.id()), candidates(device), now);
    decision.deployment().ifPresent(d -> deployments.put(d.id(), d));
    decision.record().ifPresent(r -> records.put(r.key(), r));
    String detail = decision.verdicts().isEmpty() ? "" : decision.verdicts().toString();
    out.printf(
        "  %s %-12s %-8s %-17s %s%n",
        device.id(), state.deviceType(), state.artifactName(), decision.reason(), detail);
    if (decision.instructions().isEmpty()) {
      return;
    }
    String deploymentId = decision.instructions().get().deploymentId();
    Artifact artifact = decision.instructions().get().artifact();
    boolean fails =
        device.id().equals(FAILING_DEVICE)
            && records.get(device.id() + "/" + deploymentId).attempts() == 1;
    List<DeviceDeploymentStatus> reports =
        fails
            ? List.of(DeviceDeploymentStatus.DOWNLOADING, DeviceDeploymentStatus.FAILURE)
            : List.of(
                DeviceDeploymentStatus.DOWNLOADING,
                DeviceDeploymentStatus.INSTALLING,
                DeviceDeploymentStatus.REBOOTING,
                DeviceDeploymentStatus.SUCCESS);
    for (DeviceDeploymentStatus status : reports) {
      DeviceDeployment record = records.get(device.id() + "/" + deploymentId);
      Outcome outcome = Rollout.report(deployments.get(deploymentId), record, status, "", now);
      outcome.deployments().forEach(d -> deployments.put(d.id(), d));
      outcome.records().forEach(r -> records.put(r.key(), r));
    }
    DeviceDeployment after = records.get(device.id() + "/" + deploymentId);
    out.printf(
        "      reported %s: record is %s, attempt %d%n",
        reports, after.status().wireName(), after.attempts());
    if (!fails) {
      devices.put(device.id(), device.withState(artifact.installedOn(state)));
    }
  }

  private List<Candidate> candidates(Device device) {
    List<Candidate> candidates = new ArrayList<>();
    for (Deployment deployment : deployments.values()) {
      if (deployment.isActive()) {
        Release release = releases.get(deployment.releaseName());
        candidates.add(
            deployment.target().kind().isSnapshot()
                ? Candidate.snapshot(
                    deployment, release, snapshots.get(deployment.id()).contains(device.id()))
                : Candidate.dynamic(deployment, release));
      }
    }
    return candidates;
  }

  private List<DeviceDeployment> recordsOf(String deviceId) {
    return records.values().stream().filter(r -> r.deviceId().equals(deviceId)).toList();
  }

  private static Map<String, Long> nonZero(Deployment deployment) {
    Map<String, Long> counts = new LinkedHashMap<>(deployment.statistics().toMap());
    counts.values().removeIf(count -> count == 0);
    return counts;
  }
}
