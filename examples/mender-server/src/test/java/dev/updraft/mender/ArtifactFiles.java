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
      return of(file, "");
    }

    /** As above, with a {@code description} field when it is not empty. */
    static Upload of(Path file, String description) throws IOException {
      String boundary = "----updraft" + UUID.randomUUID();
      String described =
          description.isEmpty()
              ? ""
              : "--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n"
                  + description
                  + "\r\n";
      byte[] head =
          (described
                  + "--"
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

    Map<String, byte[]> header = new LinkedHashMap<>();
    header.put("header-info", Json.write(headerInfo));
    header.put("headers/0000/type-info", Json.write(typeInfo));
    header.put("headers/0000/meta-data", new byte[0]);
    return write(
        directory.resolve(name + ".mender"),
        Compression.GZIP,
        header,
        Map.of("payload.bin", payload));
  }

  /** How the header and payload tars are compressed, and the suffix that says so. */
  enum Compression {
    GZIP(".gz"),
    XZ(".xz"),
    ZSTD(".zst");

    final String suffix;

    Compression(String suffix) {
      this.suffix = suffix;
    }

    OutputStream over(OutputStream out) throws IOException {
      return switch (this) {
        case GZIP -> new GzipCompressorOutputStream(out);
        case XZ -> new org.apache.commons.compress.compressors.xz.XZCompressorOutputStream(out);
        case ZSTD ->
            new org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream(out);
      };
    }
  }

  /**
   * An artifact of the given header files and payload files, its manifest listing each part's
   * SHA-256 as {@code mender-artifact} does.
   */
  static Path write(
      Path file, Compression compression, Map<String, byte[]> header, Map<String, byte[]> payload)
      throws IOException {
    byte[] headerTar = tar(compression, header);
    byte[] dataTar = tar(compression, payload);
    byte[] version = "{\"format\":\"mender\",\"version\":3}".getBytes(StandardCharsets.UTF_8);
    StringBuilder manifest = new StringBuilder();
    manifest.append(sha256(version)).append("  version\n");
    manifest
        .append(sha256(headerTar))
        .append("  header.tar")
        .append(compression.suffix)
        .append('\n');
    payload.forEach(
        (name, bytes) ->
            manifest.append(sha256(bytes)).append("  data/0000/").append(name).append('\n'));
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      SingleFileArtifact.add(tar, "version", version);
      SingleFileArtifact.add(tar, "manifest", manifest.toString().getBytes(StandardCharsets.UTF_8));
      SingleFileArtifact.add(tar, "header.tar" + compression.suffix, headerTar);
      SingleFileArtifact.add(tar, "data/0000.tar" + compression.suffix, dataTar);
    }
    return file;
  }

  private static byte[] tar(Compression compression, Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compression.over(bytes))) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        SingleFileArtifact.add(tar, file.getKey(), file.getValue());
      }
    }
    return bytes.toByteArray();
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
}
