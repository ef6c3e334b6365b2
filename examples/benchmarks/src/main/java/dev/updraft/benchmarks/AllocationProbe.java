package dev.updraft.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.rollout.Instructions;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Bytes the engine allocates per call on the hot paths, counted by the JVM for the calling thread
 * around each call (exact, unlike sampled allocation profiles): a poll that starts a deployment,
 * the success report that finishes it, and a poll with nothing new, on a {@link Fleet} of 20,000
 * devices. Every targeted device starts and finishes one deployment per round; the second round's
 * figures are printed. Run: {@code java -cp <benchmarks classpath>
 * dev.updraft.benchmarks.AllocationProbe}.
 */
public final class AllocationProbe {
  private AllocationProbe() {}

  public static void main(String[] args) {
    Fleet fleet = new Fleet(20_000, 198, 100, 100);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int targeted = fleet.devices.size() - fleet.quiet.size();
    long starting = 0;
    long reporting = 0;
    long quiet = 0;
    int starts = 0;
    for (int round = 0; round < 2; round++) {
      starting = 0;
      reporting = 0;
      quiet = 0;
      starts = 0;
      for (int i = 0; i < targeted; i++) {
        String device = fleet.devices.get(i);
        long before = threads.getThreadAllocatedBytes(thread);
        Optional<String> started =
            fleet
                .engine
                .poll(device, EngineBenchmarks.stateOf(device))
                .instructions()
                .map(Instructions::deploymentId);
        long polled = threads.getThreadAllocatedBytes(thread);
        if (started.isEmpty()) {
          continue;
        }
        fleet.engine.report(device, started.get(), DeviceDeploymentStatus.SUCCESS, "");
        long reported = threads.getThreadAllocatedBytes(thread);
        String idle = fleet.quiet.get(i % fleet.quiet.size());
        fleet.engine.poll(idle, EngineBenchmarks.stateOf(idle));
        quiet += threads.getThreadAllocatedBytes(thread) - reported;
        starting += polled - before;
        reporting += reported - polled;
        starts++;
      }
    }
    if (starts == 0) {
      throw new IllegalStateException("no poll started a deployment");
    }
    System.out.printf(
        "bytes allocated per call, over %,d starts: poll that starts a deployment %,d;"
            + " its success report %,d; poll with nothing new %,d%n",
        starts, starting / starts, reporting / starts, quiet / starts);
  }
}
