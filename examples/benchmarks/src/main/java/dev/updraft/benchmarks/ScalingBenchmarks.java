package dev.updraft.benchmarks;

import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.memory.InMemoryStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How costs grow: a quiet device's poll (same device, same 20-record history) with 100 or 10,000
 * active static deployments and with 0, 100 or 1,000 dynamic ones; and creating a deployment to a
 * static group of every device.
 */
public class ScalingBenchmarks {
  /** 20,000 devices with history; the static and dynamic deployment counts are parameters. */
  @State(Scope.Benchmark)
  public static class Sized {
    @Param({"100", "10000"})
    public int statics;

    @Param({"100"})
    public int dynamics;

    Fleet fleet;
    final AtomicInteger cursor = new AtomicInteger();

    @Setup(Level.Trial)
    public void build() {
      fleet = new Fleet(20_000, statics, dynamics, 2_000);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public PollDecision pollNothingNew(Sized sized) {
    String device =
        sized.fleet.quiet.get(
            Math.floorMod(sized.cursor.getAndIncrement(), sized.fleet.quiet.size()));
    return sized.fleet.engine.poll(device, EngineBenchmarks.stateOf(device));
  }

  /** A fresh store per iteration holding every device in one static group. */
  @State(Scope.Benchmark)
  public static class OneGroup {
    Updraft engine;

    @Setup(Level.Iteration)
    public void build() {
      int devices =
          (int) (1_000_000 * Double.parseDouble(System.getProperty("updraft.bench.scale", "0.1")));
      InMemoryStore store = new InMemoryStore();
      engine = Updraft.builder(store).build();
      engine.addArtifact(
          dev.updraft.core.release.Artifact.builder()
              .id("a")
              .name("release")
              .addDeviceTypes("type-0")
              .size(1)
              .checksum("c")
              .location(java.net.URI.create("file:///a"))
              .build());
      writeGroup(store, devices);
      // the setup's garbage is collected before the creation, not during it
      System.gc();
    }
  }

  /** {@code devices} accepted devices in the group {@code everyone}, straight to the store. */
  static void writeGroup(InMemoryStore store, int devices) {
    ChangeSet batch = ChangeSet.create();
    for (int i = 0; i < devices; i++) {
      batch.insert(
          RecordType.DEVICE,
          new DeviceRecord(
              String.format("device-%07d", i),
              1,
              "accepted",
              Optional.of("type-0"),
              Optional.of("release-base"),
              Map.of(),
              Map.of(),
              Optional.of("everyone")));
      if ((i + 1) % 10_000 == 0) {
        store.commit(batch);
        batch = ChangeSet.create();
      }
    }
    store.commit(batch);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public NewDeployment createToWholeGroup(OneGroup group) {
    return group.engine.createDeployment(
        DeploymentRequest.builder()
            .name("everyone")
            .releaseName("release")
            .group("everyone")
            .build());
  }
}
