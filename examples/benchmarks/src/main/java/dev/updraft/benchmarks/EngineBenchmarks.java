package dev.updraft.benchmarks;

import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.rollout.Instructions;
import dev.updraft.core.rollout.PollDecision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's hot paths on the full {@link Fleet} (scaled by the system property {@code
 * updraft.bench.scale}): a poll with nothing new, a poll that starts a deployment, a status report,
 * a statistics read. Sample time, so medians can be read off.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmarks {
  /** The fleet, built once per trial (per fork). */
  @State(Scope.Benchmark)
  public static class FleetState {
    Fleet fleet;
    final AtomicInteger quietCursor = new AtomicInteger();
    final AtomicInteger targetedCursor = new AtomicInteger();
    final AtomicInteger deploymentCursor = new AtomicInteger();

    @Setup(Level.Trial)
    public void build() {
      double scale = Double.parseDouble(System.getProperty("updraft.bench.scale", "0.1"));
      fleet =
          new Fleet(
              (int) (1_000_000 * scale),
              (int) (9_900 * scale),
              100,
              (int) Math.max(1, 5_000 * scale));
    }

    PollDecision poll(String device) {
      return fleet.engine.poll(device, stateOf(device));
    }

    String nextQuiet() {
      List<String> quiet = fleet.quiet;
      return quiet.get(Math.floorMod(quietCursor.getAndIncrement(), quiet.size()));
    }

    String nextTargeted() {
      int active = fleet.devices.size() - fleet.quiet.size();
      return fleet.devices.get(Math.floorMod(targetedCursor.getAndIncrement(), active));
    }
  }

  static DeviceState stateOf(String device) {
    int number = Integer.parseInt(device.substring("device-".length()));
    return DeviceState.of(Fleet.TYPES.get(number % Fleet.TYPES.size()), "release-base");
  }

  /**
   * Per thread: before each invocation, finishes the device deployment the previous one started
   * (outside the measurement) and picks a device that has a deployment to start.
   */
  @State(Scope.Thread)
  public static class Starter {
    String device;
    String started;

    @Setup(Level.Invocation)
    public void next(FleetState state) {
      if (started != null) {
        state.fleet.engine.report(device, started, DeviceDeploymentStatus.SUCCESS, "");
        started = null;
      }
      device = state.nextTargeted();
    }
  }

  /** Per thread: before each invocation, a device with a freshly started device deployment. */
  @State(Scope.Thread)
  public static class Reporter {
    String device;
    String deployment;

    @Setup(Level.Invocation)
    public void next(FleetState state) {
      if (deployment != null) {
        state.fleet.engine.report(device, deployment, DeviceDeploymentStatus.SUCCESS, "");
      }
      deployment = null;
      while (deployment == null) {
        device = state.nextTargeted();
        deployment = state.poll(device).instructions().map(Instructions::deploymentId).orElse(null);
      }
    }
  }

  @Benchmark
  public PollDecision pollNothingNew(FleetState state) {
    return state.poll(state.nextQuiet());
  }

  @Benchmark
  public PollDecision pollStartsDeployment(FleetState state, Starter starter) {
    PollDecision decision = state.poll(starter.device);
    starter.started = decision.instructions().map(Instructions::deploymentId).orElse(null);
    return decision;
  }

  @Benchmark
  public Object statusReport(FleetState state, Reporter reporter) {
    return state.fleet.engine.report(
        reporter.device, reporter.deployment, DeviceDeploymentStatus.DOWNLOADING, "");
  }

  @Benchmark
  public Statistics statisticsRead(FleetState state) {
    List<String> deployments = state.fleet.staticDeployments;
    return state.fleet.engine.statistics(
        deployments.get(
            Math.floorMod(state.deploymentCursor.getAndIncrement(), deployments.size())));
  }
}
