package dev.updraft.mender;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes {@code .mender} files (format 3, gzip) in Java, laid out as {@code mender-artifact 3.9}
 * writes them (the manifest with each part's SHA-256), for tests that do not run the real tool.
 */
final class ArtifactFiles {
  private ArtifactFiles() {}

  /**
   * An upload of {@code file} as {@code multipart/form-data}, as the management API takes it: the
   * {@code size} field, then the {@code artifact} file, between {@link #head} and {@link #tail}.
   */
  record Upload(String contentType, byte[] head, Path file, byte[] tail) {
    static Upload of(Path file) throws IOException {
      String boundary = "----updraft" + UUID.randomUUID();
      byte[] head =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n"
                  + Files.size(file)
                  + "\r\n--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\""
                  + file.getFileName()
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      return new Upload("multipart/form-data; boundary=" + boundary, head, file, tail);
    }

    /** The whole body in memory. */
    byte[] body() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(head);
      body.write(Files.readAllBytes(file));
      body.write(tail);
      return body.toByteArray();
    }
  }

  static Path write(
      Path directory,
      String name,
      List<String> deviceTypes,
      Map<String, List<String>> depends,
      Map<String, String> provides)
      throws IOException {
    return write(directory, name, deviceTypes, depends, provides, new byte[10 * 1024]);
  }

  /** An artifact whose payload is {@code payloadBytes} random bytes. */
  static Path write(Path directory, String name, String deviceType, int payloadBytes)
      throws IOException {
    byte[] payload = new byte[payloadBytes];
    new java.util.Random(payloadBytes).nextBytes(payload);
    return write(
        directory,
        name,
        List.of(deviceType),
        Map.of(),
        Map.of("rootfs-image.single-file.version", name),
        payload);
  }

  private static Path write(
      Path directory,
      String name,
      List<String> deviceTypes,
      Map<String, List<String>> depends,
      Map<String, String> provides,
      byte[] payload)
      throws IOException {
    Map<String, Object> headerInfo = new LinkedHashMap<>();
    headerInfo.put("payloads", List.of(Map.of("type", "single-file")));
    headerInfo.put("artifact_provides", Map.of("artifact_name", name));
    Map<String, Object> allDepends = new LinkedHashMap<>();
    allDepends.put("device_type", deviceTypes);
    allDepends.putAll(depends);
    headerInfo.put("artifact_depends", allDepends);
    Map<String, Object> typeInfo = new LinkedHashMap<>();
    typeInfo.put("type", "single-file");
    typeInfo.put("artifact_provides", provides);
    typeInfo.put("clears_artifact_provides", List.of("rootfs-image.single-file.*"));

    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(header))) {
      add(tar, "header-info", Json.write(headerInfo));
      add(tar, "headers/0000/type-info", Json.write(typeInfo));
      add(tar, "headers/0000/meta-data", new byte[0]);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(data))) {
      add(tar, "payload.bin", payload);
    }
    byte[] version = "{\"format\":\"mender\",\"version\":3}".getBytes(StandardCharsets.UTF_8);
    String manifest =
        sha256(version)
            + "  version\n"
            + sha256(header.toByteArray())
            + "  header.tar.gz\n"
            + sha256(payload)
            + "  data/0000/payload.bin\n";
    Path file = directory.resolve(name + ".mender");
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, "version", version);
      add(tar, "manifest", manifest.getBytes(StandardCharsets.UTF_8));
      add(tar, "header.tar.gz", header.toByteArray());
      add(tar, "data/0000.tar.gz", data.toByteArray());
    }
    return file;
  }

  static Path write(Path directory, String name, String deviceType) throws IOException {
    return write(
        directory,
        name,
        List.of(deviceType),
        Map.of(),
        Map.of("rootfs-image.single-file.version", name));
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException unavailable) {
      throw new IllegalStateException(unavailable);
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
