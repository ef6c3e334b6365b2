package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.engine.Updraft;
import dev.updraft.jdbc.JdbcStore;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several keys per identity, each an auth set with its own status; tokens and their revocation. */
class AuthSetsTest {
  private static final String DEVICES = "/api/management/v2/devauth/devices";
  private static final String NEXT = "/api/devices/v1/deployments/device/deployments/next";

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

  private JsonNode device(String id) {
    return server.admin.get(DEVICES + "/" + id).json();
  }

  /** The auth set of {@code device} whose key is {@code key}'s. */
  private static String authSetOf(JsonNode device, SimulatedDevice key) {
    for (JsonNode set : device.path("auth_sets")) {
      if (set.path("pubkey").asText().equals(pemOf(key))) {
        return set.path("id").asText();
      }
    }
    throw new AssertionError("no auth set with the key of " + key.mac + " in " + device);
  }

  private int poll(String token) {
    return server
        .anonymous
        .withToken(token)
        .get(NEXT + "?device_type=board&artifact_name=a")
        .status();
  }

  private void setStatus(String device, String authSet, String status) {
    assertThat(
            server
                .admin
                .put(
                    DEVICES + "/" + device + "/auth/" + authSet + "/status",
                    Map.of("status", status))
                .status())
        .isEqualTo(204);
  }

  @Test
  @Covers({
    "POST /api/devices/v1/authentication/auth_requests",
    "PUT /api/management/v2/devauth/devices/{id}/auth/{aid}/status",
    "GET /api/management/v2/devauth/devices/{id}/auth/{aid}/status",
    "GET /api/management/v2/devauth/devices/{id}"
  })
  void rotation_newKeyIsAnotherAuthSetOfTheSameDevice() {
    SimulatedDevice first = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:0e:01");
    String id = server.acceptedDevice(first);
    String firstToken = first.authenticate(server.anonymous).text();
    assertThat(poll(firstToken)).isEqualTo(204);

    SimulatedDevice second = new SimulatedDevice(KeyKind.RSA, first.mac);
    assertThat(second.authenticate(server.anonymous).status()).as("a new key waits").isEqualTo(401);
    JsonNode device = device(id);
    assertThat(server.admin.get(DEVICES).json()).as("one device").hasSize(1);
    assertThat(device.path("status").asText()).isEqualTo("accepted");
    assertThat(device.path("auth_sets")).hasSize(2);
    String firstSet = authSetOf(device, first);
    String secondSet = authSetOf(device, second);
    assertThat(firstSet).as("the first key's auth set has the device's id").isEqualTo(id);
    assertThat(
            server
                .admin
                .get(DEVICES + "/" + id + "/auth/" + secondSet + "/status")
                .json()
                .path("status")
                .asText())
        .isEqualTo("pending");

    setStatus(id, secondSet, "accepted");
    device = device(id);
    assertThat(device.path("status").asText()).isEqualTo("accepted");
    assertThat(
            server
                .admin
                .get(DEVICES + "/" + id + "/auth/" + firstSet + "/status")
                .json()
                .path("status")
                .asText())
        .as("accepting one key rejects the other")
        .isEqualTo("rejected");
    assertThat(poll(firstToken)).as("the old key's token ends").isEqualTo(401);
    assertThat(first.authenticate(server.anonymous).status()).isEqualTo(401);
    String secondToken = second.authenticate(server.anonymous).text();
    assertThat(poll(secondToken)).isEqualTo(204);
    assertThat(server.admin.get(DEVICES + "/" + id + "/auth/nope/status").status()).isEqualTo(404);
    assertThat(
            server
                .admin
                .put(
                    DEVICES + "/" + id + "/auth/" + firstSet + "/status",
                    Map.of("status", "noauth"))
                .status())
        .isEqualTo(400);
  }

  @Test
  @Covers("DELETE /api/management/v2/devauth/devices/{id}/auth/{aid}")
  void deleteAuthSet() {
    SimulatedDevice first = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:0f:01");
    String id = server.acceptedDevice(first);
    String token = first.authenticate(server.anonymous).text();
    SimulatedDevice second = new SimulatedDevice(KeyKind.EC, first.mac);
    second.authenticate(server.anonymous);
    String secondSet = authSetOf(device(id), second);

    assertThat(server.admin.delete(DEVICES + "/" + id + "/auth/" + id).status()).isEqualTo(204);
    assertThat(device(id).path("status").asText())
        .as("without its accepted key, the device is what its other key is")
        .isEqualTo("pending");
    assertThat(poll(token)).isEqualTo(401);
    assertThat(server.admin.delete(DEVICES + "/" + id + "/auth/" + id).status()).isEqualTo(404);
    assertThat(server.admin.delete(DEVICES + "/" + id + "/auth/" + secondSet).status())
        .isEqualTo(204);
    assertThat(device(id).path("status").asText()).isEqualTo("noauth");
    assertThat(device(id).path("auth_sets")).isEmpty();
    assertThat(first.authenticate(server.anonymous).status())
        .as("a deleted key asks again as a new, pending auth set")
        .isEqualTo(401);
    assertThat(device(id).path("status").asText()).isEqualTo("pending");

    SimulatedDevice preauthorized = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:0f:02");
    String pre =
        server
            .admin
            .post(
                DEVICES,
                Map.of(
                    "identity_data",
                    Map.of("mac", preauthorized.mac),
                    "pubkey",
                    preauthorized.publicKeyPem()))
            .createdId();
    assertThat(server.admin.delete(DEVICES + "/" + pre + "/auth/" + pre).status()).isEqualTo(204);
    assertThat(server.admin.get(DEVICES + "/" + pre).status())
        .as("a preauthorized device goes with its last auth set")
        .isEqualTo(404);
  }

  @Test
  @Covers("DELETE /api/management/v2/devauth/tokens/{id}")
  void tokenRevocation() {
    SimulatedDevice key = new SimulatedDevice(KeyKind.ED25519, "bb:00:00:00:10:01");
    server.acceptedDevice(key);
    String token = key.authenticate(server.anonymous).text();
    String tokenId =
        Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("jti").asText();
    assertThat(poll(token)).isEqualTo(204);
    assertThat(server.admin.delete("/api/management/v2/devauth/tokens/" + tokenId).status())
        .isEqualTo(204);
    assertThat(poll(token)).isEqualTo(401);
    assertThat(server.admin.delete("/api/management/v2/devauth/tokens/" + tokenId).status())
        .isEqualTo(404);
    String again = key.authenticate(server.anonymous).text();
    assertThat(poll(again)).as("the device asks for a new token").isEqualTo(204);
    String newer = key.authenticate(server.anonymous).text();
    assertThat(poll(again)).as("a device holds one token at a time").isEqualTo(401);
    assertThat(poll(newer)).isEqualTo(204);
  }

  @Test
  void concurrentAccepts_leaveOneAccepted() throws Exception {
    for (int round = 0; round < 10; round++) {
      String mac = String.format("bb:00:00:00:11:%02x", round);
      List<SimulatedDevice> keys = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        SimulatedDevice key = new SimulatedDevice(KeyKind.EC, mac);
        key.authenticate(server.anonymous);
        keys.add(key);
      }
      String id = server.deviceWithMac(mac);
      JsonNode device = device(id);
      List<CompletableFuture<Void>> accepts = new ArrayList<>();
      for (SimulatedDevice key : keys) {
        String set = authSetOf(device, key);
        accepts.add(CompletableFuture.runAsync(() -> setStatus(id, set, "accepted")));
      }
      CompletableFuture.allOf(accepts.toArray(CompletableFuture[]::new)).get();
      long accepted = 0;
      for (JsonNode set : device(id).path("auth_sets")) {
        accepted += set.path("status").asText().equals("accepted") ? 1 : 0;
      }
      assertThat(accepted).as("round %d", round).isEqualTo(1);
      assertThat(device(id).path("status").asText()).isEqualTo("accepted");
    }
  }

  @Test
  void devicesFromBeforeAuthSets_keepTheirIdAndAdmission() throws Exception {
    Path data = directory.resolve("old");
    SimulatedDevice key = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:12:01");
    String identity = "{\"mac\":\"" + key.mac + "\"}";
    String oldId = DeviceKeys.authSetId(identity, DeviceKeys.der("pubkey", key.publicKeyPem()));
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(JdbcStore.embeddedH2Url(data.resolve("db")));
    Updraft engine = Updraft.builder(new JdbcStore(h2)).build();
    engine.register(oldId, Map.of("mac", AttributeValue.text(key.mac)));
    engine.setAdmission(oldId, AdmissionStatus.ACCEPTED);
    try (TestServer upgraded = new TestServer(ServerConfig.defaults(data))) {
      Http.Reply token = key.authenticate(upgraded.anonymous);
      assertThat(token.status()).as(token.text()).isEqualTo(200);
      JsonNode device = upgraded.admin.get(DEVICES + "/" + oldId).json();
      assertThat(device.path("status").asText()).isEqualTo("accepted");
      assertThat(device.path("auth_sets").get(0).path("id").asText()).isEqualTo(oldId);
      assertThat(upgraded.admin.get(DEVICES).json()).hasSize(1);
    }
  }

  /** The PEM the server shows for a simulated device's key. */
  private static String pemOf(SimulatedDevice key) {
    return DeviceKeys.pem(DeviceKeys.der("pubkey", key.publicKeyPem()));
  }
}
