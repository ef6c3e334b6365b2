package dev.updraft.benchmarks;

import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.spi.memory.InMemoryStore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints the cost model's targets with the measured value and pass or fail.
 * {@code short} (the default) uses a tenth of the fleet and short iterations, a few minutes; {@code
 * full} the fixture (1,000,000 devices) and longer iterations. Run with {@code mvn -B -q
 * -DskipTests -Pbenchmarks package [-Dbench.mode=full]}.
 */
public final class BenchmarkMain {
  private final boolean full;
  private final Table table;

  private BenchmarkMain(boolean full) {
    this.full = full;
    this.table = new Table("measure (" + (full ? "full" : "short") + ")");
  }

  public static void main(String[] args) throws RunnerException {
    boolean full = args.length > 0 && args[0].equals("full");
    new BenchmarkMain(full).run();
  }

  private double scale() {
    return full ? 1.0 : 0.1;
  }

  private ChainedOptionsBuilder options(String include) {
    return new OptionsBuilder()
        .include(include)
        .forks(1)
        .warmupIterations(full ? 3 : 2)
        .warmupTime(TimeValue.seconds(full ? 5 : 2))
        .measurementIterations(full ? 5 : 3)
        .measurementTime(TimeValue.seconds(full ? 10 : 3))
        .shouldFailOnError(true)
        // The parallel collector with a fixed young generation: the full fixture keeps about 13 GB
        // live, and G1 shrank its young generation to under 150 MB to meet its pause goal, so
        // collections came every few milliseconds of polling and took over a second each (72 s
        // in 48); poll medians then drifted from 28 to 81 us over one run. The heap on transparent
        // huge pages (where the kernel offers them on request, as Debian's default "madvise" does):
        // a poll reads records scattered over gigabytes, and with 4 KiB pages most of those reads
        // also missed the TLB (short mode: poll with nothing new 5.5 -> 2.3 us, poll that starts a
        // deployment 27.6 -> 19.2 us). A host keeping a fleet in memory would configure the same.
        .jvmArgsAppend(
            "-XX:+UseParallelGC",
            "-XX:+UseTransparentHugePages",
            "-Xms" + (full ? "20g" : "4g"),
            "-Xmx" + (full ? "20g" : "4g"),
            "-Xmn" + (full ? "3g" : "1g"),
            "-Dupdraft.bench.scale=" + scale(),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  }

  private static double median(Collection<RunResult> results) {
    return results.iterator().next().getPrimaryResult().getStatistics().getPercentile(50);
  }

  private void run() throws RunnerException {
    String fleet = String.format(Locale.ROOT, "%,d devices", (int) (1_000_000 * scale()));
    double nothingNew =
        median(new Runner(options(bench("EngineBenchmarks.pollNothingNew")).build()).run());
    table.row("poll, nothing new (" + fleet + ")", "median <= 10 us", nothingNew, nothingNew <= 10);
    double starts =
        median(new Runner(options(bench("EngineBenchmarks.pollStartsDeployment")).build()).run());
    table.row("poll that starts a deployment", "median <= 20 us", starts, starts <= 20);
    double report =
        median(new Runner(options(bench("EngineBenchmarks.statusReport")).build()).run());
    table.row("status report", "median <= 10 us", report, report <= 10);
    double statistics =
        median(new Runner(options(bench("EngineBenchmarks.statisticsRead")).build()).run());
    table.row("statistics read", "median <= 1 us", statistics, statistics <= 1);

    List<RunResult> statics =
        new ArrayList<>(
            new Runner(
                    options(bench("ScalingBenchmarks.pollNothingNew"))
                        .param("statics", "100", "10000")
                        .param("dynamics", "100")
                        .build())
                .run());
    double with100 = percentile50(statics, "statics", "100");
    double with10000 = percentile50(statics, "statics", "10000");
    table.row(
        "poll, 10,000 vs 100 static deployments",
        "ratio <= 1.5",
        with10000 / with100,
        with10000 / with100 <= 1.5);
    List<RunResult> dynamics =
        new ArrayList<>(
            new Runner(
                    options(bench("ScalingBenchmarks.pollNothingNew"))
                        .param("statics", "100")
                        .param("dynamics", "0", "1000")
                        .build())
                .run());
    double dynamic0 = percentile50(dynamics, "dynamics", "0");
    double dynamic1000 = percentile50(dynamics, "dynamics", "1000");
    table.row("poll, 0 dynamic deployments", "(growth)", dynamic0, true);
    table.row("poll, 100 dynamic deployments", "median <= 10 us", with100, with100 <= 10);
    table.row("poll, 1,000 dynamic deployments", "(growth)", dynamic1000, true);

    double create =
        median(
            new Runner(
                    options(bench("ScalingBenchmarks.createToWholeGroup"))
                        .warmupIterations(1)
                        .measurementIterations(3)
                        .build())
                .run());
    table.row("create to a static group of " + fleet, "<= 2,000 ms", create, create <= 2000);
    double bytes = bytesPerTarget((int) (1_000_000 * scale()));
    table.row("memory per target entry (heap after GC)", "<= 100 bytes", bytes, bytes <= 100);

    double one = throughput(1);
    double two = throughput(2);
    table.row("poll throughput, 2 threads vs 1", "ratio >= 1.6", two / one, two / one >= 1.6);
    table.print(
        "(times in microseconds unless the target says otherwise; medians of JMH"
            + " sample-time runs, 1 fork)");
  }

  private static String bench(String name) {
    return "dev\\.updraft\\.benchmarks\\." + name.replace(".", "\\.") + "$";
  }

  private static double percentile50(List<RunResult> results, String param, String value) {
    return results.stream()
        .filter(r -> value.equals(r.getParams().getParam(param)))
        .findFirst()
        .orElseThrow()
        .getPrimaryResult()
        .getStatistics()
        .getPercentile(50);
  }

  private double throughput(int threads) throws RunnerException {
    return new Runner(
            options(bench("EngineBenchmarks.pollNothingNew"))
                .mode(org.openjdk.jmh.annotations.Mode.Throughput)
                .timeUnit(java.util.concurrent.TimeUnit.SECONDS)
                .threads(threads)
                .build())
        .run()
        .iterator()
        .next()
        .getPrimaryResult()
        .getScore();
  }

  /**
   * Retained heap per target entry: used heap after forced collections, before and after creating a
   * deployment to a static group of {@code devices} devices, divided by the target entries.
   */
  private static double bytesPerTarget(int devices) {
    InMemoryStore store = new InMemoryStore();
    Updraft engine = Updraft.builder(store).build();
    engine.addArtifact(
        Artifact.builder()
            .id("a")
            .name("release")
            .addDeviceTypes("type-0")
            .size(1)
            .checksum("c")
            .location(URI.create("file:///a"))
            .build());
    ScalingBenchmarks.writeGroup(store, devices);
    long before = usedAfterGc();
    engine.createDeployment(
        DeploymentRequest.builder()
            .name("everyone")
            .releaseName("release")
            .group("everyone")
            .build());
    long after = usedAfterGc();
    return (double) (after - before) / devices;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
