package dev.updraft.mender;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Generates a single-file artifact, as Mender's artifact generation does with {@code
 * single-file-artifact-gen}: format 3, gzip, one {@code single-file} payload holding the file and
 * the {@code dest_dir} and {@code filename} the module installs it as, providing {@code
 * rootfs-image.single-file.version} and clearing {@code rootfs-image.single-file.*}. The file is
 * streamed, never held.
 */
final class SingleFileArtifact {
  private static final String TYPE = "single-file";

  private SingleFileArtifact() {}

  /**
   * Writes to {@code target} an artifact named {@code name} for {@code deviceTypes} that installs
   * {@code file} as {@code destDir/fileName}; {@code scratch} is a file it may use and deletes.
   */
  static void write(
      Path target,
      Path scratch,
      String name,
      List<String> deviceTypes,
      Path file,
      String destDir,
      String fileName)
      throws IOException {
    Map<String, Object> headerInfo = new LinkedHashMap<>();
    headerInfo.put("payloads", List.of(Map.of("type", TYPE)));
    headerInfo.put("artifact_provides", Map.of("artifact_name", name));
    headerInfo.put("artifact_depends", Map.of("device_type", deviceTypes));
    Map<String, Object> typeInfo = new LinkedHashMap<>();
    typeInfo.put("type", TYPE);
    typeInfo.put("artifact_provides", Map.of("rootfs-image.single-file.version", name));
    typeInfo.put("clears_artifact_provides", List.of("rootfs-image.single-file.*"));
    Map<String, byte[]> header = new LinkedHashMap<>();
    header.put("header-info", Json.write(headerInfo));
    header.put("headers/0000/type-info", Json.write(typeInfo));
    header.put("headers/0000/meta-data", new byte[0]);
    byte[] headerTar = gzipTar(header);

    byte[] dest = destDir.getBytes(StandardCharsets.UTF_8);
    byte[] names = fileName.getBytes(StandardCharsets.UTF_8);
    MessageDigest fileHash = sha256();
    try {
      try (OutputStream out = Files.newOutputStream(scratch);
          TarArchiveOutputStream data =
              new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
        add(data, "dest_dir", dest);
        add(data, "filename", names);
        TarArchiveEntry entry = new TarArchiveEntry(fileName);
        entry.setSize(Files.size(file));
        data.putArchiveEntry(entry);
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), fileHash)) {
          in.transferTo(data);
        }
        data.closeArchiveEntry();
      }
      byte[] version = "{\"format\":\"mender\",\"version\":3}".getBytes(StandardCharsets.UTF_8);
      String manifest =
          hex(sha256().digest(version))
              + "  version\n"
              + hex(sha256().digest(headerTar))
              + "  header.tar.gz\n"
              + hex(sha256().digest(dest))
              + "  data/0000/dest_dir\n"
              + hex(sha256().digest(names))
              + "  data/0000/filename\n"
              + hex(fileHash.digest())
              + "  data/0000/"
              + fileName
              + "\n";
      try (OutputStream out = Files.newOutputStream(target);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        add(tar, "version", version);
        add(tar, "manifest", manifest.getBytes(StandardCharsets.UTF_8));
        add(tar, "header.tar.gz", headerTar);
        TarArchiveEntry entry = new TarArchiveEntry("data/0000.tar.gz");
        entry.setSize(Files.size(scratch));
        tar.putArchiveEntry(entry);
        Files.copy(scratch, tar);
        tar.closeArchiveEntry();
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  private static byte[] gzipTar(Map<String, byte[]> files) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        add(tar, file.getKey(), file.getValue());
      }
    }
    return bytes.toByteArray();
  }

  /** Adds a file of {@code bytes} to a tar (tests that write artifacts use it too). */
  static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException unavailable) {
      throw new IllegalStateException("SHA-256 is part of every JDK", unavailable);
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
