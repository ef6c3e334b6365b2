package dev.updraft.spi.memory;

import dev.updraft.spi.Cursor;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.TargetRecord;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The {@link TargetRecord}s of an {@link InMemoryStore}, kept compactly. Targets are most of a
 * fleet's records (a deployment to a million devices writes a million), so rather than a record, a
 * key string, a map entry and an index entry each, every device maps to the sorted ids of the
 * deployments targeting it: one array slot per target, plus per device a map entry and an array
 * header. The ids are shared strings (a deployment's id is one instance for all its targets, and a
 * device id is the instance the caller passed, which the store replaces by its device record's).
 *
 * <p>A target's version is 1 unless an update changed it; other versions are kept in a side map.
 * The table is the data only: the store's stripe locks make commits atomic to readers.
 */
final class TargetTable {
  private static final String[] NONE = {};

  private final Map<String, String[]> byDevice = new ConcurrentHashMap<>();

  /** The versions other than 1, by record key. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  /**
   * The target under {@code key}, or null. A key is {@code deploymentId/deviceId}; since either id
   * may hold a slash, every split is tried.
   *
   * @param key the record's key
   */
  TargetRecord get(String key) {
    for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      TargetRecord target = get(key.substring(0, slash), key.substring(slash + 1));
      if (target != null) {
        return target;
      }
    }
    return null;
  }

  /**
   * The target stored under {@code target}'s key, or null. Found by its two ids, without building
   * and splitting the key, when neither holds a slash (the key then splits one way only).
   */
  TargetRecord underKeyOf(TargetRecord target) {
    return target.deploymentId().indexOf('/') < 0 && target.deviceId().indexOf('/') < 0
        ? get(target.deploymentId(), target.deviceId())
        : get(target.key());
  }

  /**
   * The target of {@code deviceId} by {@code deploymentId}, or null.
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  TargetRecord get(String deploymentId, String deviceId) {
    if (Arrays.binarySearch(deploymentsOf(deviceId), deploymentId) < 0) {
      return null;
    }
    return stored(deploymentId, deviceId);
  }

  /**
   * The target of {@code deviceId} by {@code deploymentId}, which the table holds.
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  TargetRecord stored(String deploymentId, String deviceId) {
    long version =
        versions.isEmpty()
            ? 1
            : versions.getOrDefault(DeviceDeploymentRecord.keyOf(deploymentId, deviceId), 1L);
    return new TargetRecord(deploymentId, deviceId, version);
  }

  /**
   * The ids of the deployments targeting {@code deviceId}, sorted; never modified.
   *
   * @param deviceId the device's id
   */
  String[] deploymentsOf(String deviceId) {
    return byDevice.getOrDefault(deviceId, NONE);
  }

  /**
   * The position in {@code deployments} (a device's sorted ids) of the first entry after {@code
   * cursor}: entries order by sort key (the deployment id), then record key.
   *
   * @param deployments the deployments
   * @param deviceId the device's id
   * @param cursor a cursor a previous page gave
   */
  static int after(String[] deployments, String deviceId, Cursor cursor) {
    int found = Arrays.binarySearch(deployments, cursor.sortKey());
    if (found < 0) {
      return -found - 1;
    }
    String key = DeviceDeploymentRecord.keyOf(deployments[found], deviceId);
    return key.compareTo(cursor.recordKey()) > 0 ? found : found + 1;
  }

  /**
   * Stores {@code target} in place of {@code previous} (the target under its key, or null), with
   * {@code deviceId} as the device id instance to keep.
   *
   * @param deviceId the device's id
   */
  void put(TargetRecord previous, TargetRecord target, String deviceId) {
    if (previous != null) {
      remove(previous);
    }
    update(
        deviceId,
        deployments -> {
          int found = Arrays.binarySearch(deployments, target.deploymentId());
          if (found >= 0) {
            return deployments;
          }
          int at = -found - 1;
          String[] grown = new String[deployments.length + 1];
          System.arraycopy(deployments, 0, grown, 0, at);
          grown[at] = target.deploymentId();
          System.arraycopy(deployments, at, grown, at + 1, deployments.length - at);
          return grown;
        });
    if (target.version() != 1) {
      versions.put(target.key(), target.version());
    } else if (!versions.isEmpty()) {
      versions.remove(target.key());
    }
  }

  void remove(TargetRecord target) {
    update(
        target.deviceId(),
        deployments -> {
          int found = Arrays.binarySearch(deployments, target.deploymentId());
          if (found < 0) {
            return deployments;
          }
          String[] shrunk = new String[deployments.length - 1];
          System.arraycopy(deployments, 0, shrunk, 0, found);
          System.arraycopy(deployments, found + 1, shrunk, found, shrunk.length - found);
          return shrunk;
        });
    if (!versions.isEmpty()) {
      versions.remove(target.key());
    }
  }

  /**
   * Replaces a device's array atomically (commits on other stripes may change it too).
   *
   * @param deviceId the device's id
   */
  private void update(String deviceId, UnaryOperator<String[]> change) {
    byDevice.compute(
        deviceId,
        (id, deployments) -> {
          String[] changed = change.apply(deployments == null ? NONE : deployments);
          return changed.length == 0 ? null : changed;
        });
  }
}
