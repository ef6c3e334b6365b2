package dev.updraft.core.engine;

import dev.updraft.core.device.Device;
import dev.updraft.core.group.Filter;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The active dynamic deployments' ids and filters, oldest first, as of a version of the creation
 * counter, which every deployment's creating commit updates. A deployment is active from its
 * creation until it finishes, for good, so the list is complete while the counter stays at that
 * version; it may still hold deployments finished since, which a poll reads and skips. A poll thus
 * matches the device against the filters without reading a dynamic deployment it does not match.
 */
final class DynamicTargets {
  /**
   * One version of the list. {@code oldest} is the oldest deployment listed, null when none is (a
   * record read when the list was made: only its creation, which never changes, is used).
   */
  record Snapshot(
      long counterVersion, FilterIndex<Target> targets, @Nullable DeploymentRecord oldest) {
    /**
     * The listed deployments whose filter {@code device} matches.
     *
     * @param device the device
     */
    List<Target> matching(Device device) {
      return targets.matching(device);
    }
  }

  record Target(String deploymentId, Filter filter) {}

  private final Context context;
  private volatile Snapshot known =
      new Snapshot(-1, FilterIndex.of(List.of(), Target::filter), null);

  DynamicTargets(Context context) {
    this.context = context;
  }

  /** The list as of the counter's current version: read afresh only when it moved. */
  Snapshot current() {
    long counterVersion =
        context
            .storage
            .get(RecordType.COUNTER, Context.SEQUENCE)
            .map(CounterRecord::version)
            .orElse(0L);
    Snapshot snapshot = known;
    if (snapshot.counterVersion() != counterVersion) {
      // the counter is read first: a deployment created after it is at worst listed early
      List<DeploymentRecord> active =
          context.storage.scanAll(Index.ACTIVE_DYNAMIC_DEPLOYMENTS, Index.ALL_PARTITION);
      List<Target> targets = new ArrayList<>();
      for (DeploymentRecord record : active) {
        targets.add(
            new Target(
                record.id(), context.definitions.get(record).target().filter().get().filter()));
      }
      snapshot =
          new Snapshot(
              counterVersion,
              FilterIndex.of(targets, Target::filter),
              active.isEmpty() ? null : active.get(0));
      known = snapshot;
    }
    return snapshot;
  }
}
