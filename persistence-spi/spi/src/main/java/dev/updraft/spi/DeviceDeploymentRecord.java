package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One device's part in one deployment. Its key is {@code deploymentId/deviceId} (deployment ids
 * never contain {@code /}), so at most one exists per device and deployment. An open record of a
 * deployment with a progress timeout has a deadline: when it times out without a report.
 */
public record DeviceDeploymentRecord(
    String deviceId,
    String deploymentId,
    long version,
    Optional<String> artifactId,
    String status,
    String substatus,
    Instant created,
    long sequence,
    Instant started,
    Optional<Instant> finished,
    int attempts,
    boolean logAvailable,
    Optional<DeviceStateRecord> initialState,
    Optional<Integer> phase,
    Optional<Instant> deadline)
    implements StoredRecord {

  /** The key of the record of {@code deviceId} in {@code deploymentId}. */
  public static String keyOf(String deploymentId, String deviceId) {
    return deploymentId + "/" + deviceId;
  }

  @Override
  public String key() {
    return keyOf(deploymentId, deviceId);
  }
}
