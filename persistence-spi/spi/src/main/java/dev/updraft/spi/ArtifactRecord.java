package dev.updraft.spi;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An artifact of a release, stored inside its {@link ReleaseRecord}. */
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
