package dev.updraft.examples.quickstart;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fleet simulation on Updraft's engine and its in-memory store: 1,000 devices of three types poll
 * and report once a simulated minute. A phased rollout of {@code app-2.0} goes to the static group
 * {@code production}, and a capped dynamic deployment of {@code app-2.1} to the devices in region
 * {@code eu} outside that group; a few installs fail and are retried. Then {@code app-2.2} goes to
 * every device behind a rollout guard; it fails on one device type, the guard pauses the
 * deployment, the quickstart explains what two devices would get and why, the release is "fixed"
 * and the deployment resumed. A progress line per round, then a statistics table. Deterministic for
 * a given seed (the first argument, 42 by default).
 */
public final class QuickstartMain {
  private static final Instant START = Instant.parse("2026-01-01T08:00:00Z");
  private static final List<String> TYPES = List.of("raspberrypi4", "beaglebone", "qemux86-64");
  private static final List<String> REGIONS = List.of("eu", "us", "ap");
  private static final int DEVICES = 1_000;
  private static final int ROUNDS = 8;

  /** The device type {@code app-2.2} fails on until it is "fixed". */
  private static final String BROKEN_TYPE = "beaglebone";

  /** The chance that one install attempt fails. */
  private static final double FAILURE_RATE = 0.03;

  private final PrintStream out;
  private final Random random;
  private final ManualClock clock = new ManualClock(START);
  private final Updraft updraft;
  private final Map<String, DeviceState> states = new LinkedHashMap<>();
  private boolean broken = true;
  private int round;

  QuickstartMain(PrintStream out, long seed) {
    this.out = out;
    this.random = new Random(seed);
    long[] ids = {0};
    this.updraft =
        Updraft.builder(new InMemoryStore()).clock(clock).ids(() -> "id-" + ++ids[0]).build();
  }

  public static void main(String[] args) {
    new QuickstartMain(System.out, args.length > 0 ? Long.parseLong(args[0]) : 42).run();
  }

  void run() {
    registerFleet();
    addRelease("app-2.0", TYPES);
    addRelease("app-2.1", TYPES.subList(0, 2));
    NewDeployment phased =
        updraft.createDeployment(
            DeploymentRequest.builder()
                .name("production rollout")
                .releaseName("app-2.0")
                .group("production")
                .options(
                    DeploymentOptions.builder()
                        .addPhases(
                            Phase.first(10),
                            Phase.of(40, START.plus(Duration.ofMinutes(2))),
                            Phase.rest(START.plus(Duration.ofMinutes(4))))
                        .retries(1)
                        .build())
                .build());
    SavedFilter europe =
        updraft.saveFilter(
            "europe outside production",
            Filter.of(
                FilterTerm.of(Scope.INVENTORY, "region", Operator.EQ, "eu"),
                FilterTerm.of(Scope.SYSTEM, "group", Operator.NE, "production")));
    NewDeployment capped =
        updraft.createDeployment(
            DeploymentRequest.builder()
                .name("europe early access")
                .releaseName("app-2.1")
                .filter(europe)
                .options(DeploymentOptions.builder().maxDevices(40L).build())
                .build());
    out.printf(
        "%d devices; %s: app-2.0 to group production (%d devices, phases 10%% / 40%% at +2m / rest at"
            + " +4m, 1 retry); %s: app-2.1 to filter region=eu and group!=production, at most 40 devices%n%n",
        DEVICES, phased.deployment().id(), phased.snapshot().size(), capped.deployment().id());

    List<String> deployments =
        new ArrayList<>(List.of(phased.deployment().id(), capped.deployment().id()));
    rounds(ROUNDS, deployments);

    addRelease("app-2.2", TYPES);
    String guarded =
        updraft
            .createDeployment(
                DeploymentRequest.builder()
                    .name("app-2.2 everywhere")
                    .releaseName("app-2.2")
                    .allDevices(true)
                    .options(
                        DeploymentOptions.builder()
                            .guard(Guard.of(0.2, 20, GuardAction.PAUSE))
                            .build())
                    .build())
            .deployment()
            .id();
    deployments.add(guarded);
    out.printf(
        "%n%s: app-2.2 to all devices, guarded: pause when more than 20%% of at least 20 devices"
            + " fail (app-2.2 fails on %s)%n%n",
        guarded, BROKEN_TYPE);
    rounds(2, deployments);
    Deployment paused = updraft.deployment(guarded).orElseThrow();
    out.printf(
        "%n%s is %s: %s%n",
        guarded,
        paused.status(clock.instant()).wireName(),
        paused.guardTrip().map(Object::toString).orElse("the guard did not trip"));
    explainFirst(BROKEN_TYPE, guarded, true); // affected: it tried app-2.2 and failed
    explainFirst(TYPES.get(0), guarded, false); // unaffected: not reached before the pause

    broken = false;
    updraft.resume(guarded);
    out.printf("%napp-2.2 fixed for %s; %s resumed%n%n", BROKEN_TYPE, guarded);
    rounds(3, deployments);
    out.println();
    printTable(deployments);
  }

  private void rounds(int count, List<String> deployments) {
    for (int i = 0; i < count; i++) {
      round++;
      Map<Reason, Integer> reasons = pollEveryDevice();
      out.printf(
          "round %2d  t+%2dm  offered %4d  continued %3d  idle %4d  | %s%n",
          round,
          round - 1,
          reasons.getOrDefault(Reason.OFFERED, 0),
          reasons.getOrDefault(Reason.CONTINUED, 0),
          reasons.getOrDefault(Reason.NOTHING_ELIGIBLE, 0),
          progress(deployments));
      clock.advance(Duration.ofMinutes(1));
    }
  }

  /**
   * Prints what a poll by the first device of {@code type} would decide now, and why: one the
   * guarded deployment {@code reached}, or one it has not.
   */
  private void explainFirst(String type, String guarded, boolean reached) {
    String device =
        states.entrySet().stream()
            .filter(e -> e.getValue().deviceType().equals(type))
            .map(Map.Entry::getKey)
            .filter(id -> updraft.deviceDeployment(guarded, id).isPresent() == reached)
            .findFirst()
            .orElseThrow();
    Explanation explanation = updraft.explain(device, states.get(device));
    out.printf("explain %s (%s, runs %s):%n", device, type, states.get(device).artifactName());
    for (Verdict verdict : explanation.verdicts()) {
      out.printf("  %s%n", verdict);
    }
  }

  private void registerFleet() {
    for (int n = 0; n < DEVICES; n++) {
      String id = String.format("dev-%04d", n);
      String type = TYPES.get(random.nextInt(TYPES.size()));
      updraft.register(
          id,
          Map.of(
              "mac",
              AttributeValue.text(String.format("02:00:00:00:%02x:%02x", n / 256, n % 256))));
      updraft.setAdmission(id, AdmissionStatus.ACCEPTED);
      updraft.reportInventory(
          id,
          Map.of(
              "device_type", AttributeValue.text(type),
              "artifact_name", AttributeValue.text("app-1.0"),
              "region", AttributeValue.text(REGIONS.get(random.nextInt(REGIONS.size())))));
      if (n % 5 != 0) {
        updraft.assignGroup(id, "production");
      }
      states.put(id, DeviceState.of(type, "app-1.0"));
    }
  }

  private void addRelease(String name, List<String> types) {
    for (String type : types) {
      updraft.addArtifact(
          Artifact.builder()
              .id(name + "-" + type)
              .name(name)
              .addDeviceTypes(type)
              .putProvides("rootfs-image.version", name)
              .addClearsProvides("rootfs-image.*")
              .addPayloadTypes("rootfs-image")
              .size(64_000_000L + type.length())
              .checksum("sha256-of-" + name + "-" + type)
              .location(URI.create("file:///artifacts/" + name + "-" + type + ".mender"))
              .build());
    }
  }

  /** Every device polls once, in a seeded order; a device given an update installs it. */
  private Map<Reason, Integer> pollEveryDevice() {
    Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
    List<String> order = new ArrayList<>(states.keySet());
    Collections.shuffle(order, random);
    for (String device : order) {
      DeviceState state = states.get(device);
      PollDecision decision = updraft.poll(device, state);
      reasons.merge(decision.reason(), 1, Integer::sum);
      decision
          .instructions()
          .ifPresent(
              instructions -> {
                String deployment = instructions.deploymentId();
                updraft.report(device, deployment, DeviceDeploymentStatus.DOWNLOADING, "");
                updraft.report(device, deployment, DeviceDeploymentStatus.INSTALLING, "");
                boolean fails =
                    broken
                        && instructions.artifact().name().equals("app-2.2")
                        && state.deviceType().equals(BROKEN_TYPE);
                if (fails || random.nextDouble() < FAILURE_RATE) {
                  updraft.report(
                      device, deployment, DeviceDeploymentStatus.FAILURE, "install script failed");
                } else {
                  updraft.report(device, deployment, DeviceDeploymentStatus.SUCCESS, "");
                  states.put(device, instructions.artifact().installedOn(state));
                }
              });
    }
    return reasons;
  }

  private String progress(List<String> deployments) {
    StringBuilder line = new StringBuilder();
    for (String id : deployments) {
      Deployment deployment = updraft.deployment(id).orElseThrow();
      line.append(
          String.format(
              "%s %-10s %4d done  ",
              id,
              deployment.status(clock.instant()).wireName(),
              deployment.statistics().finished()));
    }
    return line.toString().trim();
  }

  private void printTable(List<String> deployments) {
    List<DeviceDeploymentStatus> columns =
        List.of(
            DeviceDeploymentStatus.PENDING,
            DeviceDeploymentStatus.SUCCESS,
            DeviceDeploymentStatus.FAILURE,
            DeviceDeploymentStatus.NOARTIFACT,
            DeviceDeploymentStatus.ALREADY_INSTALLED);
    StringBuilder header =
        new StringBuilder(String.format("%-6s %-10s %-8s", "id", "status", "devices"));
    columns.forEach(c -> header.append(String.format(" %17s", c.wireName())));
    out.println(header);
    for (String id : deployments) {
      Deployment deployment = updraft.deployment(id).orElseThrow();
      StringBuilder row =
          new StringBuilder(
              String.format(
                  "%-6s %-10s %-8d",
                  id, deployment.status(clock.instant()).wireName(), deployment.handedOut()));
      columns.forEach(c -> row.append(String.format(" %17d", deployment.statistics().count(c))));
      out.println(row);
    }
  }
}
