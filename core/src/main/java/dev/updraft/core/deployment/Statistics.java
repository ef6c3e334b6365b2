package dev.updraft.core.deployment;

import com.google.common.collect.ImmutableMap;
import dev.updraft.core.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A deployment's count of device deployments per status, all 13 keys always present [M]. Reading a
 * count is O(1).
 *
 * <p>A hand-written value rather than an Immutables type: the engine moves one device between two
 * buckets on every report, and a flat array copy is the cheapest way to do that immutably.
 */
public final class Statistics {
  private static final DeviceDeploymentStatus[] STATUSES = DeviceDeploymentStatus.values();
  private static final Statistics EMPTY = new Statistics(new long[STATUSES.length]);

  private final long[] counts;

  private Statistics(long[] counts) {
    this.counts = counts;
  }

  /** {@return statistics with every count 0} */
  public static Statistics empty() {
    return EMPTY;
  }

  /**
   * Statistics with the given counts; missing statuses count 0, negative counts are refused.
   *
   * @param counts the count of each status
   * @return the statistics
   */
  public static Statistics of(Map<DeviceDeploymentStatus, Long> counts) {
    long[] array = new long[STATUSES.length];
    counts.forEach((status, count) -> set(array, status, count));
    return new Statistics(array);
  }

  /**
   * Reads {@link #toMap()}'s shape back: counts by wire name; unknown names are invalid input.
   *
   * @param counts the count of each status
   * @return the statistics
   */
  public static Statistics fromWireNames(Map<String, Long> counts) {
    // a deployment's statistics are decoded whenever its record changed: one lookup per status
    long[] array = new long[STATUSES.length];
    int found = 0;
    for (DeviceDeploymentStatus status : STATUSES) {
      Long count = counts.get(status.wireName());
      if (count != null) {
        set(array, status, count);
        found++;
      }
    }
    if (found != counts.size()) { // names no status has: the lookup names the first one
      counts.keySet().forEach(name -> DeviceDeploymentStatus.fromWireName("statistics", name));
    }
    return new Statistics(array);
  }

  private static void set(long[] array, DeviceDeploymentStatus status, long count) {
    if (count < 0) {
      throw new InvalidInputException(
          "statistics." + status.wireName(), count, "must not be negative");
    }
    array[status.ordinal()] = count;
  }

  /**
   * {@return how many devices are in {@code status}}
   *
   * @param status the status
   */
  public long count(DeviceDeploymentStatus status) {
    return counts[status.ordinal()];
  }

  /** {@return devices in any status} */
  public long total() {
    return Arrays.stream(counts).sum();
  }

  /**
   * {@return devices in a finished status: success, failure, noartifact, already-installed,
   * aborted, decommissioned [M]}
   */
  public long finished() {
    long finished = 0;
    for (DeviceDeploymentStatus status : STATUSES) {
      if (status.isFinished()) {
        finished += counts[status.ordinal()];
      }
    }
    return finished;
  }

  /**
   * These statistics with {@code delta} added to {@code status}; a count below 0 is a bug.
   *
   * @param status the status
   * @param delta how many to add
   */
  Statistics plus(DeviceDeploymentStatus status, long delta) {
    long[] next = counts.clone();
    next[status.ordinal()] += delta;
    if (next[status.ordinal()] < 0) {
      throw new IllegalStateException("statistics." + status.wireName() + " would go below 0");
    }
    return new Statistics(next);
  }

  /**
   * One device moved from {@code from} to {@code to}.
   *
   * @param from the status before
   * @param to the status after
   */
  Statistics move(DeviceDeploymentStatus from, DeviceDeploymentStatus to) {
    return from == to ? this : plus(from, -1).plus(to, 1);
  }

  /** {@return all 13 statuses by wire name, in the order of {@link DeviceDeploymentStatus}} */
  public Map<String, Long> toMap() {
    ImmutableMap.Builder<String, Long> map = ImmutableMap.builderWithExpectedSize(STATUSES.length);
    for (DeviceDeploymentStatus status : STATUSES) {
      map.put(status.wireName(), counts[status.ordinal()]);
    }
    return map.build();
  }

  /**
   * @param other the other value
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Statistics that && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
