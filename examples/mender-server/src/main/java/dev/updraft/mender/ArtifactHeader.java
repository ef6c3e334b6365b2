package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.release.Artifact;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an artifact's header says of it: {@code header-info} (name, device types, depends, payload
 * types) and the {@code headers/NNNN/type-info} files (provides, depends, clears_provides), merged.
 * {@link MenderArtifacts} reads the files, bounded and checked; this only interprets them.
 */
final class ArtifactHeader {
  private String name = "";
  private final Set<String> deviceTypes = new LinkedHashSet<>();
  private final Map<String, List<String>> depends = new LinkedHashMap<>();
  private final Map<String, String> provides = new LinkedHashMap<>();
  private final List<String> clears = new ArrayList<>();
  private final List<String> payloadTypes = new ArrayList<>();

  void headerInfo(JsonNode info) {
    for (JsonNode payload : info.path("payloads")) {
      payloadTypes.add(payload.path("type").asText());
    }
    JsonNode artifactProvides = info.path("artifact_provides");
    name = artifactProvides.path("artifact_name").asText("");
    artifactProvides
        .properties()
        .forEach(
            f -> {
              if (!f.getKey().equals(DeviceState.ARTIFACT_NAME)) {
                provides.put(f.getKey(), f.getValue().asText());
              }
            });
    addDepends(info.path("artifact_depends"));
  }

  void typeInfo(JsonNode typeInfo) {
    typeInfo
        .path("artifact_provides")
        .properties()
        .forEach(f -> provides.put(f.getKey(), f.getValue().asText()));
    addDepends(typeInfo.path("artifact_depends"));
    typeInfo.path("clears_artifact_provides").forEach(c -> clears.add(c.asText()));
  }

  /** A 400 naming {@code part} unless the header gave a name and a device type. */
  void check(String part) {
    if (name.isEmpty()) {
      throw ApiException.badRequest(
          "artifact: " + part + ": header-info with artifact_provides.artifact_name missing");
    }
    if (deviceTypes.isEmpty()) {
      throw ApiException.badRequest("artifact: " + part + ": artifact_depends.device_type missing");
    }
  }

  /** The artifact the header describes, kept as {@code id} at {@code location}. */
  Artifact artifact(String id, long size, String checksum, URI location) {
    return Artifact.builder()
        .id(id)
        .name(name)
        .addAllDeviceTypes(deviceTypes)
        .putAllDepends(depends)
        .putAllProvides(provides)
        .addAllClearsProvides(clears)
        .addAllPayloadTypes(payloadTypes)
        .size(size)
        .checksum(checksum)
        .location(location)
        .build();
  }

  private void addDepends(JsonNode artifactDepends) {
    artifactDepends
        .properties()
        .forEach(
            f -> {
              List<String> values = new ArrayList<>();
              if (f.getValue().isArray()) {
                f.getValue().forEach(v -> values.add(v.asText()));
              } else {
                values.add(f.getValue().asText());
              }
              if (f.getKey().equals(DeviceState.DEVICE_TYPE)) {
                deviceTypes.addAll(values);
              } else {
                depends.merge(
                    f.getKey(),
                    values,
                    (a, b) -> {
                      List<String> both = new ArrayList<>(a);
                      b.stream().filter(v -> !both.contains(v)).forEach(both::add);
                      return both;
                    });
              }
            });
  }
}
