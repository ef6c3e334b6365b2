package dev.updraft.spi;

import java.util.Map;

/**
 * The state a device reported: device type, artifact name and the other provides.
 *
 * @param deviceType the device type, e.g. {@code raspberrypi4}
 * @param artifactName the name of the artifact the device runs
 * @param provides the other provides, by key
 */
public record DeviceStateRecord(
    String deviceType, String artifactName, Map<String, String> provides) {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param deviceType the device type, e.g. {@code raspberrypi4}
   * @param artifactName the name of the artifact the device runs
   * @param provides the other provides, by key
   */
  public DeviceStateRecord {
    provides = Map.copyOf(provides);
  }
}
