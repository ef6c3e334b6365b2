package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The device API with devices simulated in Java: authentication, next, status, log, download. */
class DeviceApiTest {
  private static final String AUTH = "/api/devices/v1/authentication/auth_requests";
  private static final String NEXT_V2 = "/api/devices/v2/deployments/device/deployments/next";
  private static final String NEXT_V1 = "/api/devices/v1/deployments/device/deployments/next";
  private static final String DEVICE_DEPLOYMENTS =
      "/api/devices/v1/deployments/device/deployments/";
  private static final String INVENTORY = "/api/devices/v1/inventory/device/attributes";

  @TempDir Path directory;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String deviceId(SimulatedDevice device) {
    return server.deviceWithMac(device.mac);
  }

  private String deploy(String release, String... deviceIds) {
    return server.deployTo("to " + deviceIds.length, release, List.of(deviceIds));
  }

  private static Map<String, Object> provides(String type, String artifact) {
    return Map.of(
        "device_provides",
        Map.of("device_type", type, "artifact_name", artifact),
        "update_control_map",
        true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(KeyKind.class)
  @DisplayName(
      "a signed auth request makes a pending device; once accepted it gets a token that " + "works")
  void authentication_perKeyKind(KeyKind kind) {
    SimulatedDevice device = new SimulatedDevice(kind, "aa:00:00:00:00:0" + kind.ordinal());
    Http.Reply pending = device.authenticate(server.anonymous);
    assertThat(pending.status()).isEqualTo(401);
    JsonNode listed = server.admin.get(TestServer.DEVAUTH + "/" + deviceId(device)).json();
    assertThat(listed.path("status").asText()).isEqualTo("pending");
    assertThat(listed.path("identity_data").path("mac").asText()).isEqualTo(device.mac);

    Http api = server.admitted(device);
    assertThat(api.post(NEXT_V2, provides("t", "a")).status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a wrong, missing or malformed signature is refused and registers nothing")
  @Covers("POST /api/devices/v1/authentication/auth_requests")
  void authentication_badSignature() {
    SimulatedDevice device = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:01:01");
    SimulatedDevice other = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:01:01");
    byte[] body = device.authRequestBody();
    Http.Reply signedByOther =
        server.anonymous.send(
            server
                .anonymous
                .request(AUTH)
                .header("X-MEN-Signature", other.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    Http.Reply unsigned = server.anonymous.send(AUTH, "POST", body);
    Http.Reply notBase64 =
        server.anonymous.send(
            server
                .anonymous
                .request(AUTH)
                .header("X-MEN-Signature", "%%%")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(List.of(signedByOther.status(), unsigned.status(), notBase64.status()))
        .containsOnly(401);
    assertThat(server.admin.get(TestServer.DEVAUTH).json()).isEmpty();
  }

  @Test
  @DisplayName("malformed auth requests are a 400 naming the field")
  void authentication_malformed() {
    assertThat(server.anonymous.send(AUTH, "POST", "{".getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(400);
    Http.Reply noKey = server.anonymous.post(AUTH, Map.of("id_data", "{\"mac\":\"x\"}"));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.json().path("error").asText()).contains("pubkey");
    Http.Reply badIdentity =
        server.anonymous.post(
            AUTH,
            Map.of(
                "id_data",
                "[1]",
                "pubkey",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
    assertThat(badIdentity.status()).isEqualTo(400);
    assertThat(badIdentity.json().path("error").asText()).contains("id_data");
  }

  @Test
  @DisplayName("tokens: a forged one, an expired one, and one of a rejected device are refused")
  void tokens_refused() throws Exception {
    SimulatedDevice device = new SimulatedDevice(KeyKind.ED25519, "aa:00:00:00:02:01");
    Http api = server.admitted(device);
    String token =
        api.request("/")
            .build()
            .headers()
            .firstValue("Authorization")
            .orElseThrow()
            .substring("Bearer ".length());
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A";
    assertThat(server.anonymous.withToken(forged).post(NEXT_V2, provides("t", "a")).status())
        .isEqualTo(401);
    assertThat(server.anonymous.post(NEXT_V2, provides("t", "a")).status()).isEqualTo(401);

    String id = deviceId(device);
    server.admit(id, "rejected");
    assertThat(api.post(NEXT_V2, provides("t", "a")).status()).isEqualTo(401);
    assertThat(device.authenticate(server.anonymous).status()).isEqualTo(401);

    try (TestServer shortLived =
        new TestServer(
            ServerConfig.defaults(directory.resolve("short"))
                .withLifetimes(Duration.ofSeconds(-1), Duration.ofHours(1)))) {
      SimulatedDevice late = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:02:02");
      late.authenticate(shortLived.anonymous);
      shortLived.accept(shortLived.deviceWithMac(late.mac));
      Http.Reply expired = late.authenticate(shortLived.anonymous);
      assertThat(expired.status()).isEqualTo(200);
      Http.Reply refused =
          shortLived.anonymous.withToken(expired.text()).post(NEXT_V2, provides("t", "a"));
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.json().path("error").asText()).contains("expired");
    }
  }

  @Test
  @DisplayName("all three next endpoints hand out the same instructions; nothing new is 204")
  @Covers({
    "GET /api/devices/v1/deployments/device/deployments/next",
    "PUT /api/devices/v1/deployments/device/deployments/{id}/status"
  })
  void next_allEndpoints() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-2", "board"));
    SimulatedDevice a = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:03:01");
    Http api = server.admitted(a);
    assertThat(api.post(NEXT_V2, provides("board", "app-1")).status()).isEqualTo(204);
    String deployment = deploy("app-2", deviceId(a));

    Http.Reply v2 = api.post(NEXT_V2, provides("board", "app-1"));
    Http.Reply v1Post = api.post(NEXT_V1, Map.of("device_type", "board", "artifact_name", "app-1"));
    Http.Reply v1Get = api.get(NEXT_V1 + "?artifact_name=app-1&device_type=board");
    for (Http.Reply reply : List.of(v2, v1Post, v1Get)) {
      assertThat(reply.status()).as(reply.text()).isEqualTo(200);
      JsonNode json = reply.json();
      assertThat(json.path("id").asText()).isEqualTo(deployment);
      assertThat(json.path("artifact").path("artifact_name").asText()).isEqualTo("app-2");
      assertThat(json.path("artifact").path("device_types_compatible").get(0).asText())
          .isEqualTo("board");
      assertThat(json.path("artifact").path("source").path("uri").asText())
          .startsWith(server.server.url() + "/api/devices/v1/deployments/download/");
      assertThat(json.has("update_control_map")).isFalse();
    }
    assertThat(api.get(NEXT_V1 + "?device_type=board").status()).isEqualTo(400);
    assertThat(
            api.post(NEXT_V2, Map.of("device_provides", Map.of("device_type", "board"))).status())
        .isEqualTo(400);
  }

  @Test
  @DisplayName(
      "status reports: 204 each; a success finishes; after an abort the report is 409 "
          + "and next is 204")
  void status_lifecycle() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-3", "board"));
    SimulatedDevice a = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:04:01");
    SimulatedDevice b = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:04:02");
    Http apiA = server.admitted(a);
    Http apiB = server.admitted(b);
    String deployment = deploy("app-3", deviceId(a), deviceId(b));
    assertThat(apiA.post(NEXT_V2, provides("board", "app-1")).status()).isEqualTo(200);
    assertThat(apiB.post(NEXT_V2, provides("board", "app-1")).status()).isEqualTo(200);
    String status = DEVICE_DEPLOYMENTS + deployment + "/status";
    for (String s : List.of("downloading", "installing", "success")) {
      assertThat(apiA.put(status, Map.of("status", s)).status()).isEqualTo(204);
    }
    assertThat(apiB.put(status, Map.of("status", "downloading")).status()).isEqualTo(204);
    assertThat(apiB.put(status, Map.of("status", "bogus")).status()).isEqualTo(400);
    server.abort(deployment);
    assertThat(apiB.put(status, Map.of("status", "installing")).status()).isEqualTo(409);
    assertThat(apiB.post(NEXT_V2, provides("board", "app-1")).status()).isEqualTo(204);
    JsonNode statistics = server.statistics(deployment);
    assertThat(statistics.path("success").asLong()).isEqualTo(1);
    assertThat(statistics.path("aborted").asLong()).isEqualTo(1);
    JsonNode device =
        server.admin.get("/api/management/v1/inventory/devices/" + deviceId(a)).json();
    assertThat(device.toString()).contains("\"value\":\"app-3\"");
  }

  @Test
  @DisplayName(
      "a device reads and changes only its own device deployments: 403 for another's "
          + "deployment, 404 for none")
  void status_onlyOwn() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-4", "board"));
    SimulatedDevice a = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:05:01");
    SimulatedDevice b = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:05:02");
    Http apiA = server.admitted(a);
    Http apiB = server.admitted(b);
    String deployment = deploy("app-4", deviceId(a));
    assertThat(apiA.post(NEXT_V2, provides("board", "app-1")).status()).isEqualTo(200);
    Http.Reply foreign =
        apiB.put(DEVICE_DEPLOYMENTS + deployment + "/status", Map.of("status", "failure"));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(
            apiB.put(DEVICE_DEPLOYMENTS + deployment + "/log", Map.of("messages", List.of()))
                .status())
        .isEqualTo(403);
    assertThat(
            apiB.put(DEVICE_DEPLOYMENTS + "no-such/status", Map.of("status", "failure")).status())
        .isEqualTo(404);
    assertThat(server.statistics(deployment).path("pending").asLong()).isEqualTo(1);
  }

  @Test
  @DisplayName("a failure's log is stored and read back through the management API")
  @Covers({
    "PUT /api/devices/v1/deployments/device/deployments/{id}/log",
    "GET /api/management/v1/deployments/deployments/{deployment_id}/devices/{device_id}/log"
  })
  void log_upload() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-5", "board"));
    SimulatedDevice a = new SimulatedDevice(KeyKind.RSA, "aa:00:00:00:06:01");
    Http api = server.admitted(a);
    String deployment = deploy("app-5", deviceId(a));
    api.post(NEXT_V2, provides("board", "app-1"));
    api.put(DEVICE_DEPLOYMENTS + deployment + "/status", Map.of("status", "failure"));
    Http.Reply malformed =
        api.put(
            DEVICE_DEPLOYMENTS + deployment + "/log",
            Map.of(
                "messages",
                List.of(Map.of("level", "error", "message", "x", "timestamp", "yesterday"))));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("error").asText()).contains("messages[0].timestamp");
    Http.Reply log =
        api.put(
            DEVICE_DEPLOYMENTS + deployment + "/log",
            Map.of(
                "messages",
                List.of(
                    Map.of(
                        "level",
                        "error",
                        "message",
                        "disk full",
                        "timestamp",
                        "2026-11-28T10:00:00Z"))));
    assertThat(log.status()).isEqualTo(204);
    Http.Reply read =
        server.admin.get(
            TestServer.DEPLOYMENTS + "/" + deployment + "/devices/" + deviceId(a) + "/log");
    assertThat(read.text()).isEqualTo("2026-11-28T10:00:00Z error disk full\n");
  }

  @Test
  @DisplayName("inventory: PUT replaces, PATCH adds; both answer exactly 200")
  @Covers({
    "PUT /api/devices/v1/inventory/device/attributes",
    "PATCH /api/devices/v1/inventory/device/attributes",
    "GET /api/management/v1/inventory/devices/{id}"
  })
  void inventory_putAndPatch() {
    SimulatedDevice a = new SimulatedDevice(KeyKind.EC, "aa:00:00:00:07:01");
    Http api = server.admitted(a);
    Http.Reply put =
        api.put(
            INVENTORY,
            List.of(
                Map.of("name", "device_type", "value", "board"),
                Map.of("name", "artifact_name", "value", "app-1"),
                Map.of("name", "cpu", "value", "arm")));
    assertThat(put.status()).isEqualTo(200);
    assertThat(
            api.patch(INVENTORY, List.of(Map.of("name", "ram", "value", List.of("1", "2"))))
                .status())
        .isEqualTo(200);
    String shown = server.admin.get("/api/management/v1/inventory/devices/" + deviceId(a)).text();
    assertThat(shown).contains("\"cpu\"", "\"ram\"", "\"board\"", "\"app-1\"");
    assertThat(api.put(INVENTORY, Map.of("name", "x")).status()).isEqualTo(400);
  }

  @Test
  @DisplayName(
      "download: a signed link serves the file with Content-Length and Range; a "
          + "tampered or expired link is 403")
  @Covers("GET /api/management/v1/deployments/artifacts/{id}/download")
  void download_signedLinks() throws Exception {
    Path file = ArtifactFiles.write(directory, "app-6", "board");
    String artifact = server.uploaded(file);
    JsonNode link = server.admin.get(TestServer.ARTIFACTS + "/" + artifact + "/download").json();
    String uri = link.path("uri").asText();
    byte[] bytes = Files.readAllBytes(file);

    Http.Reply whole = server.anonymous.get(uri);
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Content-Length")).contains(String.valueOf(bytes.length));
    assertThat(whole.body()).isEqualTo(bytes);

    Http.Reply part =
        server.anonymous.send(server.anonymous.request(uri).header("Range", "bytes=100-").GET());
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.header("Content-Range"))
        .contains("bytes 100-" + (bytes.length - 1) + "/" + bytes.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 100, bytes.length));

    assertThat(server.anonymous.get(uri.replace("signature=", "signature=A")).status())
        .isEqualTo(403);
    assertThat(server.anonymous.get(uri.substring(0, uri.indexOf('?'))).status()).isEqualTo(403);
    assertThat(
            server
                .anonymous
                .send(server.anonymous.request(uri).header("Range", "bytes=999999-").GET())
                .status())
        .isEqualTo(416);

    try (TestServer expiring =
        new TestServer(
            ServerConfig.defaults(directory.resolve("exp"))
                .withLifetimes(Duration.ofDays(1), Duration.ofSeconds(-1)))) {
      String id = expiring.uploaded(file);
      String expired =
          expiring
              .admin
              .get(TestServer.ARTIFACTS + "/" + id + "/download")
              .json()
              .path("uri")
              .asText();
      assertThat(expiring.anonymous.get(expired).status()).isEqualTo(403);
    }
  }
}
