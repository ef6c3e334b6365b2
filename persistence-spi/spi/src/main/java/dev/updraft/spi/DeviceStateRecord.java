package dev.updraft.spi;

import java.util.Map;

/** The state a device reported: device type, artifact name and the other provides. */
public record DeviceStateRecord(
    String deviceType, String artifactName, Map<String, String> provides) {
  public DeviceStateRecord {
    provides = Map.copyOf(provides);
  }
}
