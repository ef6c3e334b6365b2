package dev.updraft.spi;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An artifact of a release, stored inside its {@link ReleaseRecord}.
 *
 * @param deviceTypes the device types the artifact is for
 * @param depends what the device must provide, by key
 * @param clearsProvides the provides the artifact clears on install
 * @param payloadTypes the types of the artifact's payloads
 * @param size the file's size in bytes
 * @param checksum the file's checksum
 * @param location where the artifact file is, as a URI
 * @param id the id
 * @param provides the other provides, by key
 */
public record ArtifactRecord(
    String id,
    List<String> deviceTypes,
    Map<String, List<String>> depends,
    Map<String, String> provides,
    List<String> clearsProvides,
    List<String> payloadTypes,
    long size,
    String checksum,
    String location) {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param deviceTypes the device types the artifact is for
   * @param depends what the device must provide, by key
   * @param clearsProvides the provides the artifact clears on install
   * @param payloadTypes the types of the artifact's payloads
   * @param size the file's size in bytes
   * @param checksum the file's checksum
   * @param location where the artifact file is, as a URI
   * @param id the id
   * @param provides the other provides, by key
   */
  public ArtifactRecord {
    deviceTypes = List.copyOf(deviceTypes);
    depends =
        depends.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    provides = Map.copyOf(provides);
    clearsProvides = List.copyOf(clearsProvides);
    payloadTypes = List.copyOf(payloadTypes);
  }
}
