package dev.updraft.spi;

import java.time.Instant;
import java.util.List;

/** The log a device uploaded for one device deployment; an upload replaces the previous one. */
public record LogRecord(String deploymentId, String deviceId, long version, List<Message> messages)
    implements StoredRecord {
  public LogRecord {
    messages = List.copyOf(messages);
  }

  @Override
  public String key() {
    return DeviceDeploymentRecord.keyOf(deploymentId, deviceId);
  }

  /** One line of a log. */
  public record Message(Instant timestamp, String level, String message) {}
}
