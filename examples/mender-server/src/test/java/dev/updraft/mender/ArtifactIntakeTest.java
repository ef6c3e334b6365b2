package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Artifact uploads that must be refused (bombs, corrupt and truncated files, unsigned ones when a
 * key is set) and those that must be taken (xz, zstd, signed). A refused upload leaves nothing
 * stored: no artifact, no file.
 */
class ArtifactIntakeTest {
  @TempDir Path directory;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer server(ServerConfig config) throws IOException {
    server = new TestServer(config);
    return server;
  }

  private TestServer plainServer() throws IOException {
    return server(ServerConfig.defaults(directory.resolve("server")));
  }

  /** The upload's refusal: 400 with an error naming {@code what}, and nothing stored. */
  private void refused(Path file, String what) throws IOException {
    Http.Reply reply = server.upload(file);
    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.json().path("error").asText()).contains(what);
    assertThat(server.admin.get(TestServer.ARTIFACTS).json()).isEmpty();
    try (Stream<Path> left = Files.list(directory.resolve("server/artifacts"))) {
      assertThat(left).isEmpty();
    }
  }

  private static Map<String, byte[]> header(byte[] headerInfo, byte[] metaData) {
    Map<String, byte[]> header = new LinkedHashMap<>();
    header.put("header-info", headerInfo);
    header.put(
        "headers/0000/type-info", "{\"type\":\"single-file\"}".getBytes(StandardCharsets.UTF_8));
    header.put("headers/0000/meta-data", metaData);
    return header;
  }

  private static byte[] headerInfo(String name) {
    return Json.write(
        Map.of(
            "payloads",
            List.of(Map.of("type", "single-file")),
            "artifact_provides",
            Map.of("artifact_name", name),
            "artifact_depends",
            Map.of("device_type", List.of("board"))));
  }

  @Nested
  class Bombs {
    @Test
    @DisplayName("a header-info that inflates to 256 MiB is refused at 1 MiB")
    void headerInfoBomb() throws Exception {
      plainServer();
      byte[] huge = new byte[256 << 20];
      Arrays.fill(huge, (byte) ' ');
      Path bomb =
          ArtifactFiles.write(
              directory.resolve("bomb.mender"),
              ArtifactFiles.Compression.GZIP,
              header(huge, new byte[0]),
              Map.of("payload.bin", new byte[16]));
      assertThat(Files.size(bomb)).isLessThan(1 << 20);
      refused(bomb, "header-info larger than 1048576 bytes");
    }

    @Test
    @DisplayName("a header whose unread files inflate past 16 MiB is refused")
    void headerBomb() throws Exception {
      plainServer();
      Path bomb =
          ArtifactFiles.write(
              directory.resolve("bomb.mender"),
              ArtifactFiles.Compression.XZ,
              header(headerInfo("app-1"), new byte[64 << 20]),
              Map.of("payload.bin", new byte[16]));
      refused(bomb, "decompresses to more than " + (16 << 20) + " bytes");
    }
  }

  @Nested
  class Corrupt {
    /** Where {@code file}'s part {@code part} is, at {@code eighths}/8 of its length. */
    private long offsetIn(Path file, String part, int eighths) throws IOException {
      try (TarFile tar = new TarFile(file)) {
        TarArchiveEntry entry =
            tar.getEntries().stream()
                .filter(e -> e.getName().equals(part))
                .findFirst()
                .orElseThrow();
        return entry.getDataOffset() + entry.getSize() * eighths / 8;
      }
    }

    /** {@code file} with a byte of its part {@code part} changed at {@code eighths}/8 of it. */
    private Path flipped(Path file, String part, int eighths) throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      bytes[(int) offsetIn(file, part, eighths)] ^= 0x01;
      Path out = directory.resolve("flipped-" + file.getFileName());
      Files.write(out, bytes);
      return out;
    }

    /** {@code file} up to the middle of its part {@code part}, at a tar block's boundary. */
    private Path cutInside(Path file, String part) throws IOException {
      long offset = offsetIn(file, part, 4) / 512 * 512;
      Path out = directory.resolve("cut-" + part.replace('/', '-') + "-" + file.getFileName());
      Files.write(out, Arrays.copyOf(Files.readAllBytes(file), (int) offset));
      return out;
    }

    private Path cut(Path file, int bytes) throws IOException {
      byte[] all = Files.readAllBytes(file);
      Path out = directory.resolve("cut-" + file.getFileName());
      Files.write(out, Arrays.copyOf(all, all.length - bytes));
      return out;
    }

    @Test
    @DisplayName(
        "a byte flipped at any of 8 places of the payload, the header or the manifest, or a file cut"
            + " short, is refused naming the part; the intact file is then taken")
    void flippedAndTruncated() throws Exception {
      plainServer();
      Path good = ArtifactFiles.write(directory, "app-1", "board", 256 * 1024);
      for (int eighths = 0; eighths < 8; eighths++) {
        refused(flipped(good, "data/0000.tar.gz", eighths), "data/0000");
        refused(flipped(good, "header.tar.gz", eighths), "header.tar.gz");
        refused(flipped(good, "manifest", eighths), "");
      }
      refused(cut(good, 1), "truncated");
      refused(cutInside(good, "data/0000.tar.gz"), "data/0000");
      refused(cutInside(good, "header.tar.gz"), "header.tar.gz");
      assertThat(server.upload(good).status()).isEqualTo(201);
    }

    @Test
    @DisplayName(
        "with the real mender-artifact (no compression): a flipped payload byte is an invalid"
            + " checksum of that file")
    void realToolPayloadFlipped() throws Exception {
      assumeArtifactTool();
      plainServer();
      Path good =
          RealClient.artifact(
              directory,
              "app-1",
              "board",
              "single-file",
              Path.of("/opt/app/payload.bin"),
              List.of("--compression", "none"));
      Http.Reply badChecksum = server.upload(flipped(good, "data/0000.tar", 4));
      assertThat(badChecksum.status()).isEqualTo(400);
      assertThat(badChecksum.json().path("error").asText())
          .contains("invalid checksum of 'data/0000/payload.bin'");
      assertThat(server.upload(good).status()).isEqualTo(201);
    }
  }

  static void assumeArtifactTool() {
    boolean here = RealClient.onPath("mender-artifact");
    if (Boolean.getBoolean("updraft.mender.required")) {
      assertThat(here).as("mender-artifact is required").isTrue();
    }
    assumeThat(here).as("mender-artifact on the PATH").isTrue();
  }

  @Nested
  class Compression {
    @ParameterizedTest
    @EnumSource(ArtifactFiles.Compression.class)
    @DisplayName("gzip, xz and zstd headers and payloads are read and checked")
    void eachCompression(ArtifactFiles.Compression compression) throws Exception {
      plainServer();
      byte[] payload = new byte[100_000];
      new java.util.Random(7).nextBytes(payload);
      Path file =
          ArtifactFiles.write(
              directory.resolve("app.mender"),
              compression,
              header(headerInfo("app-" + compression), new byte[0]),
              Map.of("payload.bin", payload));
      String id = server.uploaded(file);
      assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).json().path("name").asText())
          .isEqualTo("app-" + compression);
    }

    @Test
    @DisplayName("the real mender-artifact's --compression lzma (xz) is taken")
    void realToolLzma() throws Exception {
      assumeArtifactTool();
      plainServer();
      Path file =
          RealClient.artifact(
              directory,
              "app-lzma",
              "board",
              "single-file",
              Path.of("/opt/app/payload.bin"),
              List.of("--compression", "lzma"));
      try (TarFile tar = new TarFile(file)) {
        assertThat(tar.getEntries()).anyMatch(e -> e.getName().equals("data/0000.tar.xz"));
      }
      String id = server.uploaded(file);
      assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).json().path("name").asText())
          .isEqualTo("app-lzma");
    }
  }

  @Nested
  class Signatures {
    private Path publicKey;
    private Path privateKey;
    private Path otherPrivateKey;

    /**
     * Key pairs made by openssl, in the formats {@code mender-artifact} 3.9 reads (PKCS#1 RSA, SEC1
     * EC; it refuses PKCS#8 private keys).
     */
    private void keys(String algorithm) throws Exception {
      privateKey = privateKey(algorithm, "private.pem");
      otherPrivateKey = privateKey(algorithm, "other.pem");
      publicKey = directory.resolve("public.pem");
      RealClient.tool(
          List.of(
              "openssl",
              "pkey",
              "-in",
              privateKey.toString(),
              "-pubout",
              "-out",
              publicKey.toString()));
    }

    private Path privateKey(String algorithm, String name) throws Exception {
      Path key = directory.resolve(name);
      RealClient.tool(
          algorithm.equals("RSA")
              ? List.of("openssl", "genrsa", "-traditional", "-out", key.toString(), "2048")
              : List.of(
                  "openssl",
                  "ecparam",
                  "-name",
                  "prime256v1",
                  "-genkey",
                  "-noout",
                  "-out",
                  key.toString()));
      return key;
    }

    private Path signed(Path file, Path key) throws Exception {
      Path out = directory.resolve("signed-" + key.getFileName() + "-" + file.getFileName());
      RealClient.tool(
          List.of(
              "mender-artifact",
              "sign",
              "-k",
              key.toString(),
              "-o",
              out.toString(),
              file.toString()));
      return out;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"RSA", "EC"})
    @DisplayName(
        "with a key set, an artifact signed by it is taken; unsigned, or signed by another key, it"
            + " is refused")
    void keySet(String algorithm) throws Exception {
      assumeArtifactTool();
      keys(algorithm);
      server(ServerConfig.defaults(directory.resolve("server")).withArtifactKey(publicKey));
      Path unsigned =
          RealClient.artifact(
              directory, "app-1", "board", "single-file", Path.of("/opt/app/payload.bin"));
      refused(unsigned, "not signed");
      refused(signed(unsigned, otherPrivateKey), "invalid signature");
      String id = server.uploaded(signed(unsigned, privateKey));
      assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).json().path("name").asText())
          .isEqualTo("app-1");
    }

    @Test
    @DisplayName("a key file that holds no public key stops the server from starting, naming it")
    void badKey() throws Exception {
      Path garbage = directory.resolve("not-a-key.pem");
      Files.writeString(garbage, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
      ServerConfig config =
          ServerConfig.defaults(directory.resolve("server")).withArtifactKey(garbage);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> server(config))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("artifact key " + garbage);
    }

    @Test
    @DisplayName("without a key, signed and unsigned artifacts are both taken")
    void noKey() throws Exception {
      assumeArtifactTool();
      keys("EC");
      plainServer();
      Path unsigned =
          RealClient.artifact(
              directory, "app-1", "board", "single-file", Path.of("/opt/app/payload.bin"));
      Path signed = signed(unsigned, privateKey);
      server.uploaded(unsigned);
      server.admin.delete(
          TestServer.ARTIFACTS
              + "/"
              + server.admin.get(TestServer.ARTIFACTS).json().get(0).path("id").asText());
      server.uploaded(signed);
    }
  }
}
