package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.release.Artifact;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.io.input.TeeInputStream;

/**
 * Takes in {@code .mender} files (format version 3, as {@code mender-artifact} 3.x and 4.x write
 * them) and keeps them in a directory. A file is read once, as it arrives, and written to disk as
 * it is read; it is accepted only whole and intact:
 *
 * <ul>
 *   <li>every part the {@code manifest} lists ({@code version}, {@code header.tar*}, each payload
 *       file {@code data/NNNN/name}) is present and has the SHA-256 the manifest gives, and nothing
 *       unlisted is; so a flipped byte or a missing end is refused;
 *   <li>with a key configured, {@code manifest.sig} holds a valid signature of the manifest by it
 *       ({@link ArtifactSignatures});
 *   <li>every read is bounded: the file ({@code maxBytes}, 413 beyond), {@code version} (4 KiB),
 *       {@code manifest} (1 MiB), {@code manifest.sig} (16 KiB), the decompressed header (16 MiB in
 *       all, 1 MiB per JSON file in it) and the decompressed payloads (32 GiB in all: they are only
 *       hashed, never held, so the bound is one of time).
 * </ul>
 *
 * <p>Header and payloads may be uncompressed, gzip, xz ({@code --compression lzma}) or zstd. What
 * is refused is a 400 naming the part and what failed, and nothing of it stays on disk.
 */
final class MenderArtifacts {
  static final int MAX_VERSION_BYTES = 4 * 1024;
  static final int MAX_MANIFEST_BYTES = 1 << 20;
  static final int MAX_SIGNATURE_BYTES = 16 * 1024;
  static final long MAX_HEADER_BYTES = 16L << 20;
  static final int MAX_HEADER_FILE_BYTES = 1 << 20;
  static final long MAX_PAYLOAD_BYTES = 32L << 30;

  private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64}) {2}(\\S+)");
  private static final Pattern DATA = Pattern.compile("data/(\\d{4})\\.tar(\\.gz|\\.xz|\\.zst)?");
  private static final Pattern HEADER = Pattern.compile("header\\.tar(\\.gz|\\.xz|\\.zst)?");
  private static final Pattern TYPE_INFO = Pattern.compile("headers/\\d{4}/type-info");

  private final Path directory;
  private final long maxBytes;
  private final Optional<ArtifactSignatures> signatures;

  MenderArtifacts(Path directory, long maxBytes, Optional<ArtifactSignatures> signatures) {
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.signatures = signatures;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The file an artifact is kept in. */
  Path fileOf(String artifactId) {
    return directory.resolve(artifactId + ".mender");
  }

  /** The file a direct upload's bytes are kept in until it is completed. */
  Path directUpload(String uploadId) {
    return directory.resolve("direct-" + uploadId + ".part");
  }

  /**
   * Deletes the bytes of direct uploads last written before {@code before}: ones never completed,
   * whose links have expired. Returns how many.
   */
  int sweepDirectUploads(Instant before) throws IOException {
    int swept = 0;
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory, "direct-*.part")) {
      for (Path file : stale) {
        if (Files.getLastModifiedTime(file).toInstant().isBefore(before)
            && Files.deleteIfExists(file)) {
          swept++;
        }
      }
    }
    return swept;
  }

  /** Makes the directory's entries (a file moved into it) durable. */
  void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  Optional<Path> existing(String artifactId) {
    Path file = fileOf(artifactId);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /**
   * Reads the artifact {@code upload} carries, writing its bytes to {@code file} as they are read,
   * and returns it as artifact {@code id}. Throws a 400 {@link ApiException} naming what is wrong
   * when it is not a whole, valid (and, with a key, signed) artifact, and a 413 beyond the size
   * limit; {@code file} may then hold part of it, which the caller deletes.
   */
  Artifact receive(InputStream upload, Path file, String id) throws IOException {
    MessageDigest whole = sha256();
    Reading reading = new Reading();
    long size;
    try (FileChannel channel =
            FileChannel.open(
                file,
                StandardOpenOption.WRITE,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = Channels.newOutputStream(channel)) {
      CappedInputStream capped =
          new CappedInputStream(
              upload,
              maxBytes,
              () -> new ApiException(413, "artifact larger than " + maxBytes + " bytes"));
      InputStream in =
          new BufferedInputStream(
              new TeeInputStream(new DigestInputStream(capped, whole), out), 64 * 1024);
      try {
        reading.outer(in);
      } catch (ApiException refused) {
        throw refused;
      } catch (IOException | RuntimeException unreadable) {
        if (unreadable instanceof Call.ClientGone gone) {
          throw gone;
        }
        throw ApiException.badRequest(
            "artifact: not a readable .mender file"
                + reading.where()
                + ": "
                + unreadable.getMessage());
      }
      in.transferTo(OutputStream.nullOutputStream()); // the tar's end, into the file and the hash
      size = capped.count();
      channel.force(true); // on disk before the upload is acknowledged
    }
    reading.complete(size);
    return reading.header.artifact(
        id, size, HexFormat.of().formatHex(whole.digest()), fileOf(id).toUri());
  }

  /** One file's reading: what has been seen so far, checked against the manifest. */
  private final class Reading {
    private final ArtifactHeader header = new ArtifactHeader();
    private Map<String, String> manifest;
    private byte[] manifestBytes;
    private final Set<String> verified = new LinkedHashSet<>();
    private byte[] versionDigest;
    private boolean headerSeen;
    private boolean signed;
    private String entry = "";

    String where() {
      return entry.isEmpty() ? "" : " (at " + entry + ")";
    }

    void outer(InputStream in) throws IOException {
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      TarArchiveEntry next;
      while ((next = tar.getNextEntry()) != null) {
        entry = next.getName();
        Matcher data = DATA.matcher(entry);
        if (entry.equals("version")) {
          byte[] bytes = readAtMost(tar, MAX_VERSION_BYTES, "version");
          version(bytes);
          versionDigest = sha256().digest(bytes); // the manifest, which lists it, comes next
        } else if (entry.equals("manifest")) {
          if (versionDigest == null) {
            throw ApiException.badRequest("artifact: the manifest comes before the version");
          }
          manifestBytes = readAtMost(tar, MAX_MANIFEST_BYTES, "manifest");
          manifest = manifest(manifestBytes);
          verifyDigest("version", versionDigest);
        } else if (entry.equals("manifest.sig")) {
          byte[] signature = readAtMost(tar, MAX_SIGNATURE_BYTES, "manifest.sig");
          if (manifestBytes == null) {
            throw ApiException.badRequest("artifact: manifest.sig comes before the manifest");
          }
          if (signatures.isPresent()) {
            signatures.get().verify(manifestBytes, signature);
            signed = true;
          }
        } else if (HEADER.matcher(entry).matches()) {
          requireManifest();
          DigestInputStream raw = new DigestInputStream(tar, sha256());
          try (InputStream header = decompress(entry, raw)) {
            readHeader(
                new CappedInputStream(
                    header,
                    MAX_HEADER_BYTES,
                    () ->
                        ApiException.badRequest(
                            "artifact: "
                                + entry
                                + " decompresses to more than "
                                + MAX_HEADER_BYTES
                                + " bytes")));
          }
          raw.transferTo(OutputStream.nullOutputStream());
          verifyDigest(entry, raw.getMessageDigest().digest());
          headerSeen = true;
        } else if (data.matches()) {
          requireManifest();
          if (!headerSeen) {
            throw ApiException.badRequest("artifact: " + entry + " comes before the header");
          }
          payload("data/" + data.group(1) + "/", tar);
        } else {
          throw ApiException.badRequest(
              "artifact: unexpected part '"
                  + entry
                  + "' (augmented artifacts and unknown parts are not accepted)");
        }
      }
      entry = "";
    }

    /** After the whole file: everything the manifest lists was there; the signature too. */
    void complete(long size) {
      if (size % 512 != 0) {
        throw ApiException.badRequest(
            "artifact: truncated: " + size + " bytes is not a whole number of tar blocks");
      }
      if (versionDigest == null || !headerSeen) {
        throw ApiException.badRequest("artifact: no version or header.tar in the file");
      }
      requireManifest();
      for (String listed : manifest.keySet()) {
        if (!verified.contains(listed)) {
          throw ApiException.badRequest(
              "artifact: truncated or incomplete: '" + listed + "' of the manifest is missing");
        }
      }
      if (signatures.isPresent() && !signed) {
        throw ApiException.badRequest(
            "artifact: not signed; this server accepts only artifacts signed with its key"
                + " (mender-artifact sign -k <private key>)");
      }
    }

    /** The JSON in the part being read; a 400 naming the part when it is not JSON. */
    private JsonNode json(byte[] bytes) {
      try {
        return Json.parse(bytes);
      } catch (ApiException malformed) {
        throw ApiException.badRequest("artifact: " + entry + ": " + malformed.getMessage());
      }
    }

    private void requireManifest() {
      if (manifest == null) {
        throw ApiException.badRequest("artifact: no manifest before " + entry);
      }
    }

    private void verifyDigest(String name, byte[] digest) {
      requireManifest();
      String expected = manifest.get(name);
      if (expected == null) {
        throw ApiException.badRequest("artifact: '" + name + "' is not in the manifest");
      }
      String actual = HexFormat.of().formatHex(digest);
      if (!expected.equals(actual)) {
        throw ApiException.badRequest(
            "artifact: invalid checksum of '"
                + name
                + "': the manifest gives "
                + expected
                + ", the file has "
                + actual);
      }
      if (!verified.add(name)) {
        throw ApiException.badRequest("artifact: '" + name + "' appears twice");
      }
    }

    private void verify(String name, MessageDigest digest) {
      verifyDigest(name, digest.digest());
    }

    private void version(byte[] bytes) {
      JsonNode version = json(bytes);
      int format = version.path("version").asInt(-1);
      if (!"mender".equals(version.path("format").asText()) || format != 3) {
        throw ApiException.badRequest(
            "artifact: format " + version + " is not supported (mender version 3 is)");
      }
    }

    /** Each file of a payload's tar, hashed as it is decompressed, against the manifest. */
    private void payload(String prefix, InputStream raw) throws IOException {
      String part = entry;
      try (InputStream decompressed =
          new CappedInputStream(
              decompress(part, raw),
              MAX_PAYLOAD_BYTES,
              () ->
                  ApiException.badRequest(
                      "artifact: "
                          + part
                          + " decompresses to more than "
                          + MAX_PAYLOAD_BYTES
                          + " bytes"))) {
        TarArchiveInputStream files = new TarArchiveInputStream(decompressed);
        TarArchiveEntry file;
        while ((file = files.getNextEntry()) != null) {
          entry = part + ": " + file.getName();
          DigestInputStream hashed = new DigestInputStream(files, sha256());
          hashed.transferTo(OutputStream.nullOutputStream());
          verify(prefix + file.getName(), hashed.getMessageDigest());
        }
        decompressed.transferTo(OutputStream.nullOutputStream());
      }
      entry = part;
    }

    private void readHeader(InputStream in) throws IOException {
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      TarArchiveEntry next;
      String part = entry;
      while ((next = tar.getNextEntry()) != null) {
        String name = next.getName();
        entry = part + ": " + name;
        if (name.equals("header-info")) {
          header.headerInfo(json(readAtMost(tar, MAX_HEADER_FILE_BYTES, name)));
        } else if (TYPE_INFO.matcher(name).matches()) {
          header.typeInfo(json(readAtMost(tar, MAX_HEADER_FILE_BYTES, name)));
        }
      }
      in.transferTo(OutputStream.nullOutputStream());
      entry = part;
      header.check(part);
    }
  }

  /** The manifest: each line a SHA-256 and a part's name. */
  private static Map<String, String> manifest(byte[] bytes) {
    Map<String, String> sums = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = MANIFEST_LINE.matcher(line.strip());
      if (!m.matches()) {
        throw ApiException.badRequest(
            "artifact: manifest line is not '<sha256>  <name>': "
                + line.substring(0, Math.min(80, line.length())));
      }
      if (sums.put(m.group(2), m.group(1)) != null) {
        throw ApiException.badRequest("artifact: manifest lists '" + m.group(2) + "' twice");
      }
    }
    return sums;
  }

  /** A compressed part as it decompresses (its end does not close {@code in}). */
  private static InputStream decompress(String name, InputStream in) throws IOException {
    InputStream shielded = CloseShieldInputStream.wrap(in);
    if (name.endsWith(".gz")) {
      return new GzipCompressorInputStream(shielded);
    }
    if (name.endsWith(".xz")) {
      return new XZCompressorInputStream(shielded);
    }
    if (name.endsWith(".zst")) {
      return new ZstdCompressorInputStream(shielded);
    }
    return shielded;
  }

  /** All of {@code in}, refused with a 400 naming {@code what} beyond {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, int max, String what) throws IOException {
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      throw ApiException.badRequest("artifact: " + what + " larger than " + max + " bytes");
    }
    return bytes;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException unavailable) {
      throw new IllegalStateException("SHA-256 is part of every JDK", unavailable);
    }
  }
}
