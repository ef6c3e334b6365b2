package dev.updraft.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A device: admission status, the state it last reported (device type, artifact name, provides; all
 * absent until it reports), its scoped attributes keyed {@code scope/name} with JSON-shaped values,
 * and its static group.
 *
 * @param id the id
 * @param version the record's version, from 1
 * @param admission the admission status
 * @param deviceType the device type, e.g. {@code raspberrypi4}
 * @param artifactName the name of the artifact the device runs
 * @param provides the other provides, by key
 * @param attributes the attributes, keyed {@code scope/name}, with JSON-shaped values
 * @param group the static group's name
 */
public record DeviceRecord(
    String id,
    long version,
    String admission,
    Optional<String> deviceType,
    Optional<String> artifactName,
    Map<String, String> provides,
    Map<String, Object> attributes,
    Optional<String> group)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param id the id
   * @param version the record's version, from 1
   * @param admission the admission status
   * @param deviceType the device type, e.g. {@code raspberrypi4}
   * @param artifactName the name of the artifact the device runs
   * @param provides the other provides, by key
   * @param attributes the attributes, keyed {@code scope/name}, with JSON-shaped values
   * @param group the static group's name
   */
  public DeviceRecord {
    provides = Map.copyOf(provides);
    attributes = Values.copyMap(attributes);
  }

  @Override
  public String key() {
    return id;
  }
}
