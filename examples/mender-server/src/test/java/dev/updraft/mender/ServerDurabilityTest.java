package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Management writes the server acknowledged survive a SIGKILL: the server runs in its own JVM, as
 * the README launches it, and is killed right after its last answer of each round, then started
 * again on the same data directory.
 */
class ServerDurabilityTest {
  private static final String INVENTORY = "/api/management/v1/inventory";
  private static final String FILTERS = "/api/management/v2/inventory/filters";
  private static final String RELEASES = "/api/management/v2/deployments/deployments/releases";
  private static final int ROUNDS = 4;

  @TempDir Path directory;
  private ServerProcess server;

  @AfterEach
  void kill() throws InterruptedException {
    if (server != null) {
      server.sigkill();
    }
  }

  /** Starts the server on the data directory; its admin client. */
  private Http start(Map<String, String> env) throws IOException {
    server = ServerProcess.start(env);
    return server.admin();
  }

  private void sigkill() throws InterruptedException {
    server.sigkill();
  }

  private static void ok(Http.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isBetween(200, 299);
  }

  @Test
  @DisplayName(
      "admission, groups, release tags and notes, and saved filters answered 2xx are all there"
          + " after each of 4 SIGKILLs")
  void managementWritesSurviveSigkill() throws Exception {
    Map<String, String> env =
        Map.of(
            "UPDRAFT_DATA_DIR", directory.resolve("data").toString(),
            "UPDRAFT_PORT", "0",
            "UPDRAFT_ADMIN_TOKEN", "durability-admin-token");
    for (int round = 0; round < ROUNDS; round++) {
      Http admin = start(env);
      for (int earlier = 0; earlier < round; earlier++) {
        assertRound(admin, earlier);
      }
      Http anonymous = server.anonymous();
      // a release
      Path file = ArtifactFiles.write(directory, "app-" + round, "board");
      ArtifactFiles.Upload upload = ArtifactFiles.Upload.of(file);
      ok(
          admin.send(
              admin
                  .request(TestServer.ARTIFACTS)
                  .header("Content-Type", upload.contentType())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body()))));
      // a device, admitted
      SimulatedDevice device =
          new SimulatedDevice(SimulatedDevice.KeyKind.EC, "02:00:00:00:00:0" + round);
      assertThat(device.authenticate(anonymous).status()).isEqualTo(401);
      String id = deviceWithMac(admin, device.mac);
      ok(
          admin.put(
              TestServer.DEVAUTH + "/" + id + "/auth/" + id + "/status",
              Map.of("status", "accepted")));
      // its group, the release's tags and notes, a saved filter
      ok(admin.put(INVENTORY + "/devices/" + id + "/group", Map.of("group", "g" + round)));
      ok(admin.put(RELEASES + "/app-" + round + "/tags", List.of("t" + round)));
      ok(admin.patch(RELEASES + "/app-" + round, Map.of("notes", "notes " + round)));
      ok(
          admin.post(
              FILTERS,
              Map.of(
                  "name",
                  "f" + round,
                  "terms",
                  List.of(
                      Map.of(
                          "scope",
                          "identity",
                          "attribute",
                          "mac",
                          "type",
                          "$eq",
                          "value",
                          device.mac)))));
      sigkill();
    }
    Http admin = start(env);
    for (int round = 0; round < ROUNDS; round++) {
      assertRound(admin, round);
    }
  }

  private static String deviceWithMac(Http admin, String mac) {
    for (JsonNode device : admin.get(TestServer.DEVAUTH + "?per_page=500").json()) {
      if (mac.equals(device.path("identity_data").path("mac").asText())) {
        return device.path("id").asText();
      }
    }
    throw new AssertionError("no device with mac " + mac);
  }

  private static void assertRound(Http admin, int round) {
    String id = deviceWithMac(admin, "02:00:00:00:00:0" + round);
    assertThat(admin.get(TestServer.DEVAUTH + "/" + id).json().path("status").asText())
        .as("admission of round %d", round)
        .isEqualTo("accepted");
    assertThat(admin.get(INVENTORY + "/devices/" + id + "/group").json().path("group").asText())
        .as("group of round %d", round)
        .isEqualTo("g" + round);
    JsonNode release = admin.get(RELEASES + "/app-" + round).json();
    assertThat(release.path("tags").toString()).as("tags of round %d", round).contains("t" + round);
    assertThat(release.path("notes").asText())
        .as("notes of round %d", round)
        .isEqualTo("notes " + round);
    assertThat(admin.get(FILTERS).json().findValuesAsText("name"))
        .as("filters after round %d", round)
        .contains("f" + round);
  }
}
