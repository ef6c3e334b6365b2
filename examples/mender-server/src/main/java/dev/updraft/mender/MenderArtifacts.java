package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.release.Artifact;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the metadata of a {@code .mender} file (format version 3, as {@code mender-artifact} 3.x
 * writes it): the outer tar's {@code version} and {@code header.tar[.gz]}, whose {@code
 * header-info} and {@code headers/NNNN/type-info} give the name, device types, depends, provides,
 * clears_provides and payload types. Size and SHA-256 are of the whole file.
 */
final class MenderArtifacts {
  private MenderArtifacts() {}

  /** The artifact in {@code file}; 400 naming what is wrong when it is not a valid one. */
  static Artifact read(Path file, String id, URI location) throws IOException {
    Header header = null;
    boolean versionSeen = false;
    MessageDigest sha256 = sha256();
    try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha256);
        TarArchiveInputStream outer = new TarArchiveInputStream(new BufferedInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = outer.getNextEntry()) != null) {
        String name = entry.getName();
        if (name.equals("version")) {
          JsonNode version = Json.parse(outer.readAllBytes());
          int format = version.path("version").asInt(-1);
          if (!"mender".equals(version.path("format").asText()) || format != 3) {
            throw ApiException.badRequest(
                "artifact: format " + version + " is not supported (mender version 3 is)");
          }
          versionSeen = true;
        } else if (name.startsWith("header.tar")) {
          header = readHeader(decompress(name, outer));
        }
      }
      raw.transferTo(
          java.io.OutputStream.nullOutputStream()); // the checksum covers the tar's padding too
    } catch (IOException | IllegalArgumentException notATar) {
      if (notATar instanceof ApiException refused) {
        throw refused;
      }
      throw ApiException.badRequest(
          "artifact: not a readable .mender file: " + notATar.getMessage());
    }
    if (!versionSeen || header == null) {
      throw ApiException.badRequest("artifact: no version or header.tar in the file");
    }
    return Artifact.builder()
        .id(id)
        .name(header.name)
        .addAllDeviceTypes(header.deviceTypes)
        .putAllDepends(header.depends)
        .putAllProvides(header.provides)
        .addAllClearsProvides(header.clears)
        .addAllPayloadTypes(header.payloadTypes)
        .size(Files.size(file))
        .checksum(HexFormat.of().formatHex(sha256.digest()))
        .location(location)
        .build();
  }

  private static InputStream decompress(String name, InputStream in) throws IOException {
    if (name.equals("header.tar")) {
      return in;
    }
    if (name.equals("header.tar.gz")) {
      return new GzipCompressorInputStream(in);
    }
    throw ApiException.badRequest(
        "artifact: "
            + name
            + " is compressed in a way not supported (gzip or none are; write it with --compression gzip)");
  }

  /** What header-info and the type-info files say, merged. */
  private static final class Header {
    String name = "";
    final Set<String> deviceTypes = new LinkedHashSet<>();
    final Map<String, List<String>> depends = new LinkedHashMap<>();
    final Map<String, String> provides = new LinkedHashMap<>();
    final List<String> clears = new ArrayList<>();
    final List<String> payloadTypes = new ArrayList<>();
  }

  private static Header readHeader(InputStream in) throws IOException {
    Header header = new Header();
    boolean infoSeen = false;
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String name = entry.getName();
      if (name.equals("header-info")) {
        JsonNode info = Json.parse(tar.readAllBytes());
        infoSeen = true;
        for (JsonNode payload : info.path("payloads")) {
          header.payloadTypes.add(payload.path("type").asText());
        }
        JsonNode provides = info.path("artifact_provides");
        header.name = provides.path("artifact_name").asText("");
        provides
            .properties()
            .forEach(
                f -> {
                  if (!f.getKey().equals(DeviceState.ARTIFACT_NAME)) {
                    header.provides.put(f.getKey(), f.getValue().asText());
                  }
                });
        addDepends(header, info.path("artifact_depends"));
      } else if (name.matches("headers/\\d{4}/type-info")) {
        JsonNode typeInfo = Json.parse(tar.readAllBytes());
        typeInfo
            .path("artifact_provides")
            .properties()
            .forEach(f -> header.provides.put(f.getKey(), f.getValue().asText()));
        addDepends(header, typeInfo.path("artifact_depends"));
        typeInfo.path("clears_artifact_provides").forEach(c -> header.clears.add(c.asText()));
      }
    }
    if (!infoSeen || header.name.isEmpty()) {
      throw ApiException.badRequest(
          "artifact: header-info with artifact_provides.artifact_name missing");
    }
    if (header.deviceTypes.isEmpty()) {
      throw ApiException.badRequest("artifact: artifact_depends.device_type missing");
    }
    return header;
  }

  private static void addDepends(Header header, JsonNode depends) {
    depends
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
                header.deviceTypes.addAll(values);
              } else {
                header.depends.merge(
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException unavailable) {
      throw new IllegalStateException("SHA-256 is part of every JDK", unavailable);
    }
  }

  /** The file name an artifact is kept under. */
  static Path fileOf(Path directory, String artifactId) {
    return directory.resolve(artifactId + ".mender");
  }

  static Optional<Path> existing(Path directory, String artifactId) {
    Path file = fileOf(directory, artifactId);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
