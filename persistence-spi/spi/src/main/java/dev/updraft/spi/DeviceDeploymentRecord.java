package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One device's part in one deployment. Its key is {@code deploymentId/deviceId} (deployment ids
 * never contain {@code /}), so at most one exists per device and deployment. An open record of a
 * deployment with a progress timeout has a deadline: when it times out without a report.
 *
 * @param deviceId the device's id
 * @param deploymentId the deployment's id
 * @param version the record's version, from 1
 * @param artifactId the artifact's id
 * @param status the status
 * @param substatus free text from the device, empty for none
 * @param created when it was created
 * @param sequence a number increasing with creation, breaking ties
 * @param started when it started
 * @param finished when it finished, absent while open
 * @param attempts attempts so far, this one included
 * @param logAvailable whether the device uploaded a log
 * @param initialState the state the device polled with first, if it polled
 * @param phase the phase the device joined, absent when the deployment has none
 * @param deadline when the record times out without a report, if a timeout is set
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

  /**
   * {@return the key of the record of {@code deviceId} in {@code deploymentId}}
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  public static String keyOf(String deploymentId, String deviceId) {
    return deploymentId + "/" + deviceId;
  }

  @Override
  public String key() {
    return keyOf(deploymentId, deviceId);
  }
}
