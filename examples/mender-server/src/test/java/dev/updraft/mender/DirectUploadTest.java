package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct uploads: a signed link for the bytes, then a completion that takes them in. */
class DirectUploadTest {
  private static final String DIRECT = TestServer.ARTIFACTS + "/directupload";

  @TempDir Path directory;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new TestServer(
            ServerConfig.defaults(directory.resolve("server"))
                .withLimits(
                    ServerConfig.Limits.defaults()
                        .withSizes(new ServerConfig.Sizes(8 * 1024, 64 * 1024, 256 * 1024))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Http.Reply put(String uri, byte[] bytes) {
    return server.anonymous.send(
        server.anonymous.request(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private Path artifactsDirectory() {
    return directory.resolve("server/artifacts");
  }

  @Test
  @Covers({
    "POST /api/management/v1/deployments/artifacts/directupload",
    "POST /api/management/v1/deployments/artifacts/directupload/{id}/complete"
  })
  void linkThenBytesThenComplete_addsTheArtifact() throws Exception {
    Path file = ArtifactFiles.write(directory, "direct-1", "board");
    JsonNode link = server.admin.post(DIRECT, Map.of()).json();
    String id = link.path("id").asText();
    assertThat(Instant.parse(link.path("expire").asText())).isAfter(Instant.now());
    String uri = link.path("uri").asText();
    assertThat(uri).startsWith(server.server.url().toString()).contains(id, "signature=");

    assertThat(put(uri, Files.readAllBytes(file)).status()).isEqualTo(200);
    Http.Reply completed = server.admin.post(DIRECT + "/" + id + "/complete", Map.of());
    assertThat(completed.status()).as(completed.text()).isEqualTo(202);

    JsonNode artifact = server.admin.get(TestServer.ARTIFACTS + "/" + id).json();
    assertThat(artifact.path("name").asText()).isEqualTo("direct-1");
    assertThat(artifact.path("size").asLong()).isEqualTo(Files.size(file));
    assertThat(artifactsDirectory().resolve(id + ".mender")).hasSameBinaryContentAs(file);
    assertThat(server.admin.post(DIRECT + "/" + id + "/complete", Map.of()).status())
        .as("completed once")
        .isEqualTo(404);
    try (var left = Files.list(artifactsDirectory())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(id + ".mender");
    }
  }

  @Test
  void links_refusedUnlessSignedForThatUpload() throws Exception {
    byte[] bytes = Files.readAllBytes(ArtifactFiles.write(directory, "direct-2", "board"));
    String uri = server.admin.post(DIRECT, Map.of()).json().path("uri").asText();
    String other = server.admin.post(DIRECT, Map.of()).json().path("id").asText();
    String id = uri.replaceAll(".*/directupload/([^/]+)/upload.*", "$1");

    assertThat(put(uri.replace("signature=", "signature=x"), bytes).status()).isEqualTo(403);
    assertThat(put(uri.replace(id, other), bytes).status())
        .as("a link opens only its own upload")
        .isEqualTo(403);
    assertThat(put(uri.replaceAll("\\?.*", ""), bytes).status()).isEqualTo(403);
    String artifact = server.uploaded(ArtifactFiles.write(directory, "direct-3", "board"));
    String download =
        server
            .admin
            .get(TestServer.ARTIFACTS + "/" + artifact + "/download")
            .json()
            .path("uri")
            .asText();
    String query = download.substring(download.indexOf('?'));
    assertThat(put(uri.replaceAll("\\?.*", "").replace(id, artifact) + query, bytes).status())
        .as("a download link's signature opens no upload")
        .isEqualTo(403);
    assertThat(server.admin.post(DIRECT + "/" + id + "/complete", Map.of()).status())
        .as("nothing was uploaded")
        .isEqualTo(404);
    assertThat(server.admin.post(DIRECT + "/..%2F..%2Fetc/complete", Map.of()).status())
        .as("Jetty refuses an encoded slash")
        .isEqualTo(400);
    assertThat(server.admin.post(DIRECT + "/..%20etc/complete", Map.of()).status())
        .as("an id that is no UUID names no upload")
        .isEqualTo(404);
    assertThat(server.anonymous.post(DIRECT, Map.of()).status()).isEqualTo(401);
    // last: the server answers before reading the body, and closes the connection
    assertThat(put(uri, new byte[300 * 1024]).status()).as("beyond the size limit").isEqualTo(413);
  }

  @Test
  void complete_refusesWhatIsNotAnArtifact_andLeavesNothing() throws Exception {
    JsonNode link = server.admin.post(DIRECT, Map.of()).json();
    String id = link.path("id").asText();
    assertThat(put(link.path("uri").asText(), "not a tar at all".repeat(50).getBytes()).status())
        .isEqualTo(200);
    Http.Reply refused = server.admin.post(DIRECT + "/" + id + "/complete", Map.of());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).status()).isEqualTo(404);
    try (var left = Files.list(artifactsDirectory())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void sweep_deletesBytesOfExpiredUploadsOnly() throws Exception {
    Files.createDirectories(artifactsDirectory());
    MenderArtifacts files = new MenderArtifacts(artifactsDirectory(), 1024, Optional.empty());
    Path stale = files.directUpload("00000000-0000-0000-0000-000000000001");
    Path fresh = files.directUpload("00000000-0000-0000-0000-000000000002");
    Files.writeString(stale, "old");
    Files.writeString(fresh, "new");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(7200)));
    assertThat(files.sweepDirectUploads(Instant.now().minusSeconds(3600))).isEqualTo(1);
    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }
}
