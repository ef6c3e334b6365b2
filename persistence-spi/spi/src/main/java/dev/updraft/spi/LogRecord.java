package dev.updraft.spi;

import java.time.Instant;
import java.util.List;

/**
 * The log a device uploaded for one device deployment; an upload replaces the previous one.
 *
 * @param version the record's version, from 1
 * @param deploymentId the deployment's id
 * @param deviceId the device's id
 * @param messages the messages
 */
public record LogRecord(String deploymentId, String deviceId, long version, List<Message> messages)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param version the record's version, from 1
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   * @param messages the messages
   */
  public LogRecord {
    messages = List.copyOf(messages);
  }

  @Override
  public String key() {
    return DeviceDeploymentRecord.keyOf(deploymentId, deviceId);
  }

  /**
   * One line of a log.
   *
   * @param timestamp when it was logged
   * @param level its level
   * @param message what happened
   */
  public record Message(Instant timestamp, String level, String message) {}
}
