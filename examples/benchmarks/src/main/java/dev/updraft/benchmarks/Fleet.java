package dev.updraft.benchmarks;

import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.release.Artifact;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.DeviceStateRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.memory.InMemoryStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The benchmark fleet, built once per trial on an {@link InMemoryStore} (the fixture at
 * {@code scale} 1.0; the short mode uses 0.1): accepted devices of 5 types with inventory
 * attributes; 20 finished deployments every device has a finished record of (its history, the
 * oldest deployments); then the active ones: dynamic ones with 3-term filters, and static
 * deployments, half to device lists of mixed sizes and half to static groups of mixed sizes
 * (together about 505 targets each). Devices are written straight to the store in large commits and
 * the history records too (an engine would take hours to make 20 million); every deployment is made
 * by the engine.
 *
 * <p>The last 1 % of devices are <em>quiet</em>: in no group, no device list, and matching no
 * filter (their region is {@code none}); their polls have nothing new. The others are targeted by
 * about five static deployments each.
 */
final class Fleet {
  static final List<String> TYPES = List.of("type-0", "type-1", "type-2", "type-3", "type-4");
  static final int HISTORY = 20;
  private static final List<String> REGIONS = List.of("eu", "us", "ap", "sa");
  private static final int[] LIST_SIZES = {40, 400, 1000, 1840};
  private static final int RELEASES = 10;
  private static final int BATCH = 10_000;

  final InMemoryStore store = new InMemoryStore();
  final Updraft engine;
  final List<String> devices = new ArrayList<>();
  final List<String> quiet = new ArrayList<>();
  final List<String> staticDeployments = new ArrayList<>();
  final List<String> dynamicDeployments = new ArrayList<>();
  private final Random random = new Random(42);

  /**
   * @param devices the fleet size (1,000,000 in the fixture)
   * @param statics static deployments (9,900)
   * @param dynamics dynamic deployments (100)
   * @param groups static groups the non-quiet devices are spread over (5,000)
   */
  Fleet(int devices, int statics, int dynamics, int groups) {
    long[] ids = {0};
    // The event feed keeps 100,000 events (about 20 MB in memory), as a host sizes it for what its
    // consumers need; the default million would hold another 200 MB of the fixture's history.
    engine = Updraft.builder(store).ids(() -> "dep-" + ++ids[0]).eventRetention(100_000).build();
    for (int r = 0; r < RELEASES; r++) {
      for (String type : TYPES) {
        engine.addArtifact(
            Artifact.builder()
                .id("release-" + r + "-" + type)
                .name("release-" + r)
                .addDeviceTypes(type)
                .putProvides("rootfs-image.version", "release-" + r)
                .size(64_000_000L)
                .checksum("sha256-" + r + "-" + type)
                .location(URI.create("file:///release-" + r + "-" + type + ".mender"))
                .build());
      }
    }
    // Dynamic deployments first, into an empty fleet: creating one counts the devices its filter
    // matches, a scan of every device (seconds at 1,000,000), and without phases that count
    // changes nothing a poll decides. So the active dynamic deployments are older than the static
    // ones, and a targeted device's first start may be of either kind.
    List<String> history = new ArrayList<>();
    for (int h = 0; h < HISTORY; h++) {
      history.add(dynamic("history-" + h, "release-" + (h % RELEASES), Filter.of(nobody())));
      engine.abort(history.get(h));
    }
    for (int n = 0; n < dynamics; n++) {
      Filter filter =
          Filter.of(
              FilterTerm.of(Scope.INVENTORY, "region", Operator.EQ, REGIONS.get(n % 4)),
              FilterTerm.of(Scope.INVENTORY, "model", Operator.IN, List.of("m" + n % 10, "m9")),
              FilterTerm.of(Scope.INVENTORY, "ram", Operator.GTE, 512));
      dynamicDeployments.add(dynamic("dynamic-" + n, "release-" + (n % RELEASES), filter));
    }
    writeDevices(devices, groups);
    writeHistory(history);
    int active = devices - quiet.size();
    for (int n = 0; n < statics; n++) {
      DeploymentRequest.Builder request =
          DeploymentRequest.builder().name("static-" + n).releaseName("release-" + (n % RELEASES));
      if (n % 2 == 0) {
        int size = Math.min(LIST_SIZES[(n / 2) % LIST_SIZES.length], active);
        int from = random.nextInt(active);
        for (int i = 0; i < size; i++) {
          request.addDevices(this.devices.get((from + i * 7919) % active));
        }
      } else {
        request.group("group-" + ((n / 2) % groups));
      }
      staticDeployments.add(engine.createDeployment(request.build()).deployment().id());
    }
  }

  private static FilterTerm nobody() {
    return FilterTerm.of(Scope.INVENTORY, "region", Operator.EQ, "nowhere");
  }

  private String dynamic(String name, String release, Filter filter) {
    return engine
        .createDeployment(
            DeploymentRequest.builder()
                .name(name)
                .releaseName(release)
                .filter(engine.saveFilter(name, filter))
                .build())
        .deployment()
        .id();
  }

  /** Devices, straight to the store: 1 % quiet, the rest in groups of mixed sizes. */
  private void writeDevices(int count, int groups) {
    int quietFrom = count - Math.max(1, count / 100);
    ChangeSet batch = ChangeSet.create();
    for (int i = 0; i < count; i++) {
      String id = String.format("device-%07d", i);
      boolean isQuiet = i >= quietFrom;
      // every group gets one device, then a skewed spread: low group numbers get more devices,
      // so group sizes are mixed
      double u = random.nextDouble();
      int number = i < groups ? i : (int) (groups * u * u);
      Optional<String> group = isQuiet ? Optional.empty() : Optional.of("group-" + number);
      batch.insert(
          RecordType.DEVICE,
          new DeviceRecord(
              id,
              1,
              "accepted",
              Optional.of(TYPES.get(i % TYPES.size())),
              Optional.of("release-base"),
              Map.of(),
              Map.of(
                  "identity/mac",
                  String.format("02:%06x", i),
                  "inventory/region",
                  isQuiet ? "none" : REGIONS.get(random.nextInt(4)),
                  "inventory/model",
                  "m" + random.nextInt(10),
                  "inventory/ram",
                  (double) (256 << random.nextInt(4))),
              group));
      (isQuiet ? quiet : devices).add(id);
      if ((i + 1) % BATCH == 0) {
        store.commit(batch);
        batch = ChangeSet.create();
      }
    }
    store.commit(batch);
    devices.addAll(quiet);
  }

  /** Every device's finished record in each history deployment, straight to the store. */
  private void writeHistory(List<String> history) {
    DeviceStateRecord before = new DeviceStateRecord(TYPES.get(0), "release-base", Map.of());
    for (String deploymentId : history) {
      DeploymentRecord deployment = store.get(RecordType.DEPLOYMENT, deploymentId).orElseThrow();
      Instant created = deployment.created();
      ChangeSet batch = ChangeSet.create();
      int written = 0;
      for (String device : devices) {
        batch.insert(
            RecordType.DEVICE_DEPLOYMENT,
            new DeviceDeploymentRecord(
                device,
                deploymentId,
                1,
                Optional.of(deployment.releaseName() + "-" + TYPES.get(0)),
                DeviceDeploymentStatus.SUCCESS.wireName(),
                "",
                created,
                deployment.sequence(),
                created,
                Optional.of(created),
                1,
                false,
                Optional.of(before),
                Optional.of(0),
                Optional.empty()));
        if (++written % BATCH == 0) {
          store.commit(batch);
          batch = ChangeSet.create();
        }
      }
      store.commit(batch);
    }
  }
}
