package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management API: what it answers, and that refused requests change nothing. */
class ManagementApiTest {
  private static final String INVENTORY = "/api/management/v1/inventory";
  private static final String FILTERS = "/api/management/v2/inventory/filters";
  private static final String RELEASES = "/api/management/v2/deployments/deployments/releases";

  @TempDir Path directory;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new TestServer(
            ServerConfig.defaults(directory.resolve("server"))
                .withLimits(
                    ServerConfig.Limits.defaults()
                        .withSizes(new ServerConfig.Sizes(8 * 1024, 4096, 64 * 1024))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A device that asked for admission and was accepted; returns its id. */
  private String acceptedDevice(String mac) {
    return server.acceptedDevice(mac);
  }

  /**
   * Sends only the headers of an upload declaring {@code length} bytes and reads the status line: a
   * server that refuses a body by its declared size answers before reading it.
   */
  private String statusOfUploadHeaders(long length) throws java.io.IOException {
    try (java.net.Socket socket =
        new java.net.Socket(server.server.url().getHost(), server.server.url().getPort())) {
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + TestServer.ARTIFACTS
                      + " HTTP/1.1\r\n"
                      + "Host: 127.0.0.1\r\nAuthorization: Bearer "
                      + server.server.adminToken()
                      + "\r\n"
                      + "Content-Type: multipart/form-data; boundary=x\r\n"
                      + "Content-Length: "
                      + length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  private String error(Http.Reply reply) {
    return reply.json().path("error").asText();
  }

  @Nested
  class Artifacts {
    @Test
    @DisplayName(
        "an uploaded .mender file is read: name, types, depends, provides, clears, "
            + "payload types, size, SHA-256")
    @Covers({
      "POST /api/management/v1/deployments/artifacts",
      "GET /api/management/v1/deployments/artifacts",
      "GET /api/management/v1/deployments/artifacts/{id}"
    })
    void upload_readsMetadata() throws Exception {
      Path file =
          ArtifactFiles.write(
              directory,
              "app-1",
              List.of("board-a", "board-b"),
              Map.of("rootfs-image.version", List.of("v1", "v2")),
              Map.of("rootfs-image.single-file.version", "app-1"));
      String id = server.uploaded(file);
      JsonNode artifact = server.admin.get(TestServer.ARTIFACTS + "/" + id).json();
      assertThat(artifact.path("name").asText()).isEqualTo("app-1");
      assertThat(artifact.path("device_types_compatible").toString())
          .isEqualTo("[\"board-a\",\"board-b\"]");
      assertThat(artifact.path("artifact_depends").path("rootfs-image.version").toString())
          .isEqualTo("[\"v1\",\"v2\"]");
      assertThat(
              artifact.path("artifact_provides").path("rootfs-image.single-file.version").asText())
          .isEqualTo("app-1");
      assertThat(artifact.path("clears_artifact_provides").get(0).asText())
          .isEqualTo("rootfs-image.single-file.*");
      assertThat(artifact.path("updates").get(0).path("type_info").path("type").asText())
          .isEqualTo("single-file");
      assertThat(artifact.path("size").asLong()).isEqualTo(Files.size(file));
      assertThat(artifact.path("checksum").asText())
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      assertThat(server.admin.get(TestServer.ARTIFACTS).json()).hasSize(1);
      assertThat(server.admin.get(RELEASES).json().get(0).path("name").asText()).isEqualTo("app-1");
    }

    @Test
    @DisplayName(
        "a file that is not an artifact, a form without one, and one over the limit "
            + "are refused and leave nothing behind")
    void upload_refused() throws Exception {
      Path garbage = directory.resolve("garbage.mender");
      Files.writeString(garbage, "not a tar at all ".repeat(100));
      Http.Reply notArtifact = server.upload(garbage);
      assertThat(notArtifact.status()).isEqualTo(400);
      assertThat(error(notArtifact)).contains("artifact");

      assertThat(statusOfUploadHeaders(128 * 1024)).startsWith("HTTP/1.1 413 ");

      Http.Reply notMultipart = server.admin.post(TestServer.ARTIFACTS, Map.of("a", 1));
      assertThat(notMultipart.status()).isEqualTo(400);

      assertThat(server.admin.get(TestServer.ARTIFACTS).json()).isEmpty();
      try (var left = Files.list(directory.resolve("server/artifacts"))) {
        assertThat(left).isEmpty();
      }
    }

    @Test
    @DisplayName("the same artifact twice overlaps: 409, one artifact kept")
    void upload_overlap() throws Exception {
      Path file = ArtifactFiles.write(directory, "app-1", "board");
      server.uploaded(file);
      Http.Reply again = server.upload(file);
      assertThat(again.status()).isEqualTo(409);
      assertThat(server.admin.get(TestServer.ARTIFACTS).json()).hasSize(1);
    }

    @Test
    @DisplayName("delete: 409 while a deployment uses it, 204 after it finished, then 404")
    @Covers({
      "DELETE /api/management/v1/deployments/artifacts/{id}",
      "PUT /api/management/v1/deployments/deployments/{deployment_id}/status"
    })
    void delete_inUse() throws Exception {
      String id = server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      String device = acceptedDevice("bb:00:00:00:00:01");
      String deployment = server.deployTo("d", "app-1", List.of(device));
      Http.Reply inUse = server.admin.delete(TestServer.ARTIFACTS + "/" + id);
      assertThat(inUse.status()).isEqualTo(409);
      assertThat(error(inUse)).contains(deployment);
      server.abort(deployment);
      assertThat(server.admin.delete(TestServer.ARTIFACTS + "/" + id).status()).isEqualTo(204);
      assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).status()).isEqualTo(404);
      assertThat(directory.resolve("server/artifacts/" + id + ".mender")).doesNotExist();
    }

    @Test
    @DisplayName("releases: tags and notes are set, shown, and validated")
    @Covers({
      "GET /api/management/v2/deployments/deployments/releases/{release_name}",
      "PATCH /api/management/v2/deployments/deployments/releases/{release_name}",
      "PUT /api/management/v2/deployments/deployments/releases/{release_name}/tags"
    })
    void releases_tagsAndNotes() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      assertThat(server.admin.put(RELEASES + "/app-1/tags", List.of("Stable", "eu")).status())
          .isEqualTo(204);
      assertThat(server.admin.patch(RELEASES + "/app-1", Map.of("notes", "fixes")).status())
          .isEqualTo(204);
      JsonNode release = server.admin.get(RELEASES + "/app-1").json();
      assertThat(release.path("tags"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("eu", "stable");
      assertThat(release.path("notes").asText()).isEqualTo("fixes");
      assertThat(server.admin.get(RELEASES + "?tag=eu").json()).hasSize(1);
      assertThat(server.admin.put(RELEASES + "/app-1/tags", List.of("bad tag")).status())
          .isEqualTo(400);
      assertThat(server.admin.put(RELEASES + "/nope/tags", List.of("x")).status()).isEqualTo(404);
      assertThat(server.admin.get(RELEASES + "/app-1").json().path("tags").size()).isEqualTo(2);
    }
  }

  @Nested
  class Devices {
    @Test
    @DisplayName(
        "preauthorized: the device's first auth request gets a token; a second "
            + "preauthorization of it is 409")
    @Covers({
      "POST /api/management/v2/devauth/devices",
      "GET /api/management/v2/devauth/devices",
      "GET /api/management/v2/devauth/devices/{id}"
    })
    void preauthorize() {
      SimulatedDevice device = new SimulatedDevice(KeyKind.RSA, "bb:00:00:00:01:01");
      Map<String, Object> request =
          Map.of("identity_data", Map.of("mac", device.mac), "pubkey", device.publicKeyPem());
      Http.Reply created = server.admin.post(TestServer.DEVAUTH, request);
      assertThat(created.status()).isEqualTo(201);
      assertThat(server.admin.get(TestServer.DEVAUTH + "?status=preauthorized").json()).hasSize(1);
      assertThat(device.authenticate(server.anonymous).status()).isEqualTo(200);
      assertThat(
              server
                  .admin
                  .get(TestServer.DEVAUTH + "/" + created.createdId())
                  .json()
                  .path("status")
                  .asText())
          .isEqualTo("accepted");
      Http.Reply again = server.admin.post(TestServer.DEVAUTH, request);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.json().path("id").asText())
          .as("the conflicting device")
          .isEqualTo(created.createdId());

      SimulatedDevice newKey = new SimulatedDevice(KeyKind.EC, device.mac);
      Map<String, Object> forced =
          Map.of(
              "identity_data",
              Map.of("mac", device.mac),
              "pubkey",
              newKey.publicKeyPem(),
              "force",
              true);
      Http.Reply added = server.admin.post(TestServer.DEVAUTH, forced);
      assertThat(added.status()).isEqualTo(201);
      assertThat(added.createdId()).as("the same device").isEqualTo(created.createdId());
      JsonNode sets = server.admin.get(TestServer.DEVAUTH + "/" + created.createdId()).json();
      assertThat(sets.path("auth_sets"))
          .extracting(set -> set.path("status").asText())
          .containsExactlyInAnyOrder("accepted", "preauthorized");
      assertThat(newKey.authenticate(server.anonymous).status())
          .as("a preauthorized key is accepted when it asks")
          .isEqualTo(200);
      assertThat(device.authenticate(server.anonymous).status())
          .as("and the other key is rejected")
          .isEqualTo(401);
    }

    @Test
    @DisplayName(
        "a deployment may target a preauthorized device; it gets the deployment once it"
            + " authenticates")
    void preauthorized_isTargeted() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      SimulatedDevice device = new SimulatedDevice(KeyKind.ED25519, "bb:00:00:00:01:02");
      String id =
          server
              .admin
              .post(
                  TestServer.DEVAUTH,
                  Map.of(
                      "identity_data", Map.of("mac", device.mac), "pubkey", device.publicKeyPem()))
              .createdId();
      String deployment =
          server.createDeployment(
              TestServer.DEPLOYMENTS,
              Map.of("name", "early", "artifact_name", "app-1", "devices", List.of(id)));
      assertThat(server.deployment(deployment).path("device_count").asLong()).isEqualTo(1);

      Http.Reply token = device.authenticate(server.anonymous);
      assertThat(token.status()).isEqualTo(200);
      Http.Reply next =
          server
              .anonymous
              .withToken(token.text())
              .post(
                  "/api/devices/v2/deployments/device/deployments/next",
                  Map.of(
                      "device_provides",
                      Map.of("device_type", "board", "artifact_name", "factory")));
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.json().path("id").asText()).isEqualTo(deployment);
    }

    @Test
    @DisplayName("accept, reject, count by status, decommission (then 404)")
    @Covers({
      "PUT /api/management/v2/devauth/devices/{id}/auth/{aid}/status",
      "GET /api/management/v2/devauth/devices/{id}/auth/{aid}/status",
      "GET /api/management/v2/devauth/devices/count",
      "DELETE /api/management/v2/devauth/devices/{id}"
    })
    void admission() {
      String a = acceptedDevice("bb:00:00:00:02:01");
      String b = acceptedDevice("bb:00:00:00:02:02");
      server.admit(b, "rejected");
      assertThat(
              server
                  .admin
                  .get(TestServer.DEVAUTH + "/count?status=accepted")
                  .json()
                  .path("count")
                  .asLong())
          .isEqualTo(1);
      Http.Reply badStatus =
          server.admin.put(
              TestServer.DEVAUTH + "/" + a + "/auth/" + a + "/status", Map.of("status", "happy"));
      assertThat(badStatus.status()).isEqualTo(400);
      assertThat(error(badStatus)).contains("status").contains("happy");
      assertThat(server.admin.delete(TestServer.DEVAUTH + "/" + a).status()).isEqualTo(204);
      assertThat(server.admin.get(TestServer.DEVAUTH + "/" + a).status()).isEqualTo(404);
      assertThat(server.admin.delete(TestServer.DEVAUTH + "/" + a).status()).isEqualTo(404);
      assertThat(server.admin.get(TestServer.DEVAUTH).json()).hasSize(1);
    }

    @Test
    @DisplayName("static groups: assign, list members and groups, patch members, remove")
    @Covers({
      "GET /api/management/v1/inventory/devices",
      "GET /api/management/v1/inventory/devices/{id}/group",
      "PUT /api/management/v1/inventory/devices/{id}/group",
      "DELETE /api/management/v1/inventory/devices/{id}/group/{name}",
      "GET /api/management/v1/inventory/groups",
      "GET /api/management/v1/inventory/groups/{name}/devices",
      "PATCH /api/management/v1/inventory/groups/{name}/devices",
      "DELETE /api/management/v1/inventory/groups/{name}/devices"
    })
    void groups() {
      String a = acceptedDevice("bb:00:00:00:03:01");
      String b = acceptedDevice("bb:00:00:00:03:02");
      assertThat(
              server
                  .admin
                  .put(INVENTORY + "/devices/" + a + "/group", Map.of("group", "field"))
                  .status())
          .isEqualTo(204);
      Http.Reply patched =
          server.admin.patch(INVENTORY + "/groups/field/devices", List.of(b, "no-such-device"));
      assertThat(patched.json().path("matched_count").asLong()).isEqualTo(1);
      assertThat(server.admin.get(INVENTORY + "/devices?has_group=true").json())
          .extracting(d -> d.path("id").asText())
          .contains(a);
      Http.Reply maybe = server.admin.get(INVENTORY + "/devices?has_group=maybe");
      assertThat(maybe.status()).isEqualTo(400);
      assertThat(maybe.json().path("error").asText()).contains("has_group", "maybe");
      Http.Reply members = server.admin.get(INVENTORY + "/groups/field/devices");
      assertThat(members.json()).hasSize(2);
      assertThat(members.header("X-Total-Count")).contains("2");
      assertThat(server.admin.get(INVENTORY + "/groups").json().toString())
          .isEqualTo("[\"field\"]");
      assertThat(
              server
                  .admin
                  .get(INVENTORY + "/devices/" + a + "/group")
                  .json()
                  .path("group")
                  .asText())
          .isEqualTo("field");
      assertThat(server.admin.delete(INVENTORY + "/devices/" + a + "/group/field").status())
          .isEqualTo(204);
      assertThat(
              server
                  .admin
                  .put(INVENTORY + "/devices/" + a + "/group", Map.of("group", "no spaces"))
                  .status())
          .isEqualTo(400);
      assertThat(server.admin.get(INVENTORY + "/groups/field/devices").json()).hasSize(1);
      Http.Reply removed =
          server.admin.send(
              INVENTORY + "/groups/field/devices",
              "DELETE",
              Json.write(List.of(b, a, "no-such-device")));
      assertThat(removed.json().path("updated_count").asLong()).isEqualTo(1);
      assertThat(server.admin.get(INVENTORY + "/groups").json()).isEmpty();
    }

    @Test
    @DisplayName(
        "saved filters: create, 409 on a taken name, list, get, search, delete; bad "
            + "terms name the term")
    @Covers("POST /api/management/v2/inventory/filters/search")
    void filters() {
      String a = acceptedDevice("bb:00:00:00:04:01");
      acceptedDevice("bb:00:00:00:04:02");
      Map<String, Object> term =
          Map.of(
              "scope", "identity", "attribute", "mac", "type", "$eq", "value", "bb:00:00:00:04:01");
      Http.Reply created =
          server.admin.post(FILTERS, Map.of("name", "one", "terms", List.of(term)));
      assertThat(created.status()).isEqualTo(201);
      assertThat(server.admin.post(FILTERS, Map.of("name", "one", "terms", List.of(term))).status())
          .isEqualTo(409);
      Http.Reply bad =
          server.admin.post(
              FILTERS,
              Map.of(
                  "name",
                  "two",
                  "terms",
                  List.of(
                      Map.of(
                          "scope",
                          "identity",
                          "attribute",
                          "mac",
                          "type",
                          "$like",
                          "value",
                          "x"))));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(error(bad)).contains("terms[0].type");
      assertThat(server.admin.get(FILTERS).json()).hasSize(1);
      String id = created.createdId();
      assertThat(server.admin.get(FILTERS + "/" + id).json().path("name").asText())
          .isEqualTo("one");
      JsonNode matches = server.admin.get(FILTERS + "/" + id + "/search").json();
      assertThat(matches).hasSize(1);
      assertThat(matches.get(0).path("id").asText()).isEqualTo(a);
      assertThat(server.admin.post(FILTERS + "/search", Map.of("filters", List.of(term))).json())
          .hasSize(1);
      assertThat(server.admin.delete(FILTERS + "/" + id).status()).isEqualTo(204);
      assertThat(server.admin.get(FILTERS + "/" + id).status()).isEqualTo(404);
      assertThat(server.admin.get(FILTERS + "/" + id + "/search").status()).isEqualTo(404);
    }
  }

  @Nested
  class Deployments {
    @Test
    @DisplayName(
        "v1 with phases and retries, v2 to a saved filter with max_devices: shown, "
            + "listed, with statistics and device lists")
    @Covers({
      "POST /api/management/v1/deployments/deployments",
      "GET /api/management/v1/deployments/deployments",
      "GET /api/management/v2/deployments/deployments",
      "GET /api/management/v1/deployments/deployments/{id}",
      "GET /api/management/v1/deployments/deployments/{deployment_id}/statistics",
      "GET /api/management/v1/deployments/deployments/{deployment_id}/devices",
      "GET /api/management/v1/deployments/deployments/{deployment_id}/devices/list",
      "GET /api/management/v1/deployments/deployments/{id}/device_list",
      "GET /api/management/v1/deployments/deployments/devices/{id}",
      "POST /api/management/v1/deployments/deployments/statistics/list"
    })
    void create_andRead() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      SimulatedDevice polling = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:05:01");
      polling.authenticate(server.anonymous);
      String a = server.deviceWithMac(polling.mac);
      server.accept(a);
      String b = acceptedDevice("bb:00:00:00:05:02");
      String phased =
          server.createDeployment(
              TestServer.DEPLOYMENTS,
              Map.of(
                  "name",
                  "phased",
                  "artifact_name",
                  "app-1",
                  "devices",
                  List.of(a, b),
                  "retries",
                  2,
                  "phases",
                  List.of(Map.of("batch_size", 50), Map.of("start_ts", "2099-01-01T00:00:00Z"))));
      JsonNode shown = server.deployment(phased);
      assertThat(shown.path("retries").asInt()).isEqualTo(2);
      assertThat(shown.path("phases")).hasSize(2);
      assertThat(shown.path("phases").get(1).path("start_ts").asText())
          .isEqualTo("2099-01-01T00:00:00Z");
      assertThat(shown.path("device_count").asLong()).isEqualTo(2);
      assertThat(server.statistics(phased).path("pending").asLong()).isEqualTo(2);
      // Device lists show the device deployments made so far: a device's is made when it polls.
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "/" + phased + "/device_list").json())
          .isEmpty();
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "/" + phased + "/devices").json())
          .isEmpty();
      Http device = server.anonymous.withToken(polling.authenticate(server.anonymous).text());
      assertThat(
              device
                  .post(
                      "/api/devices/v2/deployments/device/deployments/next",
                      Map.of(
                          "device_provides",
                          Map.of("device_type", "board", "artifact_name", "app-0")))
                  .status())
          .isEqualTo(200);
      JsonNode pending =
          server
              .admin
              .get(TestServer.DEPLOYMENTS + "/" + phased + "/devices/list?status=pending")
              .json();
      assertThat(pending).hasSize(1);
      assertThat(pending.get(0).path("id").asText()).isEqualTo(a);
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/" + phased + "/devices/list?status=success")
                  .json())
          .isEmpty();
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/" + phased + "/devices/list?status=active")
                  .json())
          .as("pending is not active")
          .isEmpty();
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/" + phased + "/devices/list?status=finished")
                  .json())
          .isEmpty();
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/" + phased + "/devices/list?status=done")
                  .status())
          .isEqualTo(400);
      assertThat(
              server.admin.get(TestServer.DEPLOYMENTS + "/devices/" + a + "?status=pending").json())
          .hasSize(1);
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/devices/" + a + "?status=finished")
                  .json())
          .isEmpty();
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/" + phased + "/device_list")
                  .json()
                  .toString())
          .isEqualTo("[\"" + a + "\"]");
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "/" + phased + "/devices").json())
          .extracting(r -> r.path("id").asText())
          .containsExactly(a);
      assertThat(
              server
                  .admin
                  .get(TestServer.DEPLOYMENTS + "/devices/" + a)
                  .json()
                  .get(0)
                  .path("deployment")
                  .path("id")
                  .asText())
          .isEqualTo(phased);

      String filter =
          server
              .admin
              .post(
                  FILTERS,
                  Map.of(
                      "name",
                      "all macs",
                      "terms",
                      List.of(
                          Map.of(
                              "scope",
                              "identity",
                              "attribute",
                              "mac",
                              "type",
                              "$exists",
                              "value",
                              true))))
              .createdId();
      String dynamic =
          server.createDeployment(
              "/api/management/v2/deployments/deployments",
              Map.of(
                  "name",
                  "dynamic",
                  "artifact_name",
                  "app-1",
                  "filter_id",
                  filter,
                  "max_devices",
                  5));
      JsonNode dyn = server.deployment(dynamic);
      assertThat(dyn.path("dynamic").asBoolean()).isTrue();
      assertThat(dyn.path("max_devices").asLong()).isEqualTo(5);
      assertThat(dyn.path("filter").path("id").asText()).isEqualTo(filter);

      JsonNode listed = server.admin.get(TestServer.DEPLOYMENTS + "?search=dyn").json();
      assertThat(listed).hasSize(1);
      long now = java.time.Instant.now().getEpochSecond();
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "?created_after=" + (now - 600)).json())
          .hasSize(2);
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "?created_after=" + (now + 60)).json())
          .isEmpty();
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "?created_before=" + (now - 600)).json())
          .isEmpty();
      assertThat(
              server
                  .admin
                  .get(
                      "/api/management/v2/deployments/deployments?created_before="
                          + (now + 60)
                          + "&created_after="
                          + (now - 600))
                  .json())
          .hasSize(2);
      String v2 = "/api/management/v2/deployments/deployments";
      assertThat(server.admin.get(v2 + "?id=" + phased).json())
          .extracting(d -> d.path("id").asText())
          .containsExactly(phased);
      assertThat(server.admin.get(v2 + "?name=dynamic&name=phased").json()).hasSize(2);
      assertThat(server.admin.get(v2 + "?name=dyn").json()).as("names match exactly").isEmpty();
      Http.Reply badBound = server.admin.get(TestServer.DEPLOYMENTS + "?created_after=yesterday");
      assertThat(badBound.status()).isEqualTo(400);
      assertThat(badBound.json().path("error").asText()).contains("created_after", "yesterday");
      Http.Reply all = server.admin.get(TestServer.DEPLOYMENTS + "?per_page=1&page=2");
      assertThat(all.header("X-Total-Count")).contains("2");
      assertThat(all.json().get(0).path("id").asText()).as("newest first").isEqualTo(phased);
      assertThat(server.admin.get(v2 + "?sort=asc").json())
          .extracting(d -> d.path("id").asText())
          .containsExactly(phased, dynamic);
      assertThat(server.admin.get(v2 + "?sort=desc").json())
          .extracting(d -> d.path("id").asText())
          .containsExactly(dynamic, phased);
      assertThat(server.admin.get(v2 + "?name=" + polling.mac + "&id_attribute=mac").json())
          .as("no deployment has that name: the device whose mac it is stands for it")
          .extracting(d -> d.path("id").asText())
          .containsExactly(phased);
      assertThat(server.admin.get(v2 + "?name=phased&id_attribute=mac").json())
          .extracting(d -> d.path("id").asText())
          .containsExactly(phased);
      assertThat(server.admin.get(v2 + "?name=nobody&id_attribute=mac").json()).isEmpty();
      assertThat(server.admin.get(v2 + "?name=x&id_attribute=mac&id_scope=everywhere").status())
          .isEqualTo(400);
      assertThat(server.admin.get(v2 + "?type=software").json()).hasSize(2);
      assertThat(server.admin.get(v2 + "?type=configuration").json())
          .as("no configuration deployments are made here")
          .isEmpty();
      assertThat(server.admin.get(v2 + "?type=firmware").status()).isEqualTo(400);
      Http.Reply badSort = server.admin.get(TestServer.DEPLOYMENTS + "?sort=sideways");
      assertThat(badSort.status()).isEqualTo(400);
      assertThat(badSort.json().path("error").asText()).contains("sort", "sideways");

      JsonNode stats =
          server
              .admin
              .post(
                  TestServer.DEPLOYMENTS + "/statistics/list",
                  Map.of("deployment_ids", List.of(dynamic, phased)))
              .json();
      assertThat(stats).extracting(s -> s.path("id").asText()).containsExactly(dynamic, phased);
      assertThat(stats.get(1).path("stats")).isEqualTo(server.statistics(phased));
      assertThat(
              server
                  .admin
                  .post(
                      TestServer.DEPLOYMENTS + "/statistics/list",
                      Map.of("deployment_ids", List.of(phased, "nope")))
                  .status())
          .isEqualTo(404);
      assertThat(
              server
                  .admin
                  .post(
                      TestServer.DEPLOYMENTS + "/statistics/list",
                      Map.of("deployment_ids", List.of()))
                  .status())
          .isEqualTo(400);
    }

    @Test
    @DisplayName(
        "refused creations change nothing: malformed JSON, wrong types, missing "
            + "fields, oversized body, unknown release (422), unknown filter (422), bad phases")
    void create_refused() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      String a = acceptedDevice("bb:00:00:00:06:01");
      byte[] malformed = "{\"name\": \"x\",".getBytes(StandardCharsets.UTF_8);
      assertThat(server.admin.send(TestServer.DEPLOYMENTS, "POST", malformed).status())
          .isEqualTo(400);
      Http.Reply wrongType =
          server.admin.post(
              TestServer.DEPLOYMENTS,
              Map.of("name", 5, "artifact_name", "app-1", "devices", List.of(a)));
      assertThat(wrongType.status()).isEqualTo(400);
      assertThat(error(wrongType)).contains("name");
      Http.Reply noName =
          server.admin.post(
              TestServer.DEPLOYMENTS, Map.of("artifact_name", "app-1", "devices", List.of(a)));
      assertThat(error(noName)).contains("name: required");
      Http.Reply devicesNotList =
          server.admin.post(
              TestServer.DEPLOYMENTS, Map.of("name", "x", "artifact_name", "app-1", "devices", a));
      assertThat(devicesNotList.status()).isEqualTo(400);
      assertThat(error(devicesNotList)).contains("devices");
      byte[] huge = Json.write(Map.of("name", "x".repeat(5000), "artifact_name", "app-1"));
      assertThat(server.admin.send(TestServer.DEPLOYMENTS, "POST", huge).status()).isEqualTo(413);
      Http.Reply unknownRelease =
          server.admin.post(
              TestServer.DEPLOYMENTS,
              Map.of("name", "x", "artifact_name", "nope", "devices", List.of(a)));
      assertThat(unknownRelease.status()).isEqualTo(422);
      assertThat(
              server
                  .admin
                  .post(
                      "/api/management/v2/deployments/deployments",
                      Map.of("name", "x", "artifact_name", "app-1", "filter_id", "nope"))
                  .status())
          .isEqualTo(422);
      Http.Reply badPhases =
          server.admin.post(
              TestServer.DEPLOYMENTS,
              Map.of(
                  "name",
                  "x",
                  "artifact_name",
                  "app-1",
                  "devices",
                  List.of(a),
                  "phases",
                  List.of(
                      Map.of("batch_size", 50),
                      Map.of("batch_size", 60, "start_ts", "2099-01-01T00:00:00Z"))));
      assertThat(badPhases.status()).isEqualTo(400);
      assertThat(error(badPhases)).contains("phases");
      Http.Reply nothing =
          server.admin.post(TestServer.DEPLOYMENTS, Map.of("name", "x", "artifact_name", "app-1"));
      assertThat(nothing.status()).isEqualTo(400);
      assertThat(server.admin.get(TestServer.DEPLOYMENTS).json()).isEmpty();
    }

    @Test
    @DisplayName(
        "aborting a device's deployments: its part ends as aborted, the others go on, and "
            + "it polls for nothing")
    @Covers("DELETE /api/management/v1/deployments/deployments/devices/{id}")
    void abortForOneDevice() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      SimulatedDevice polling = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:07:01");
      String a = server.acceptedDevice(polling);
      String b = acceptedDevice("bb:00:00:00:07:02");
      String deployment = server.deployTo("d", "app-1", List.of(a, b));

      assertThat(server.admin.delete(TestServer.DEPLOYMENTS + "/devices/" + a).status())
          .isEqualTo(204);
      JsonNode statistics = server.statistics(deployment);
      assertThat(statistics.path("aborted").asLong()).isEqualTo(1);
      assertThat(statistics.path("pending").asLong()).isEqualTo(1);
      assertThat(server.deployment(deployment).path("status").asText()).isNotEqualTo("finished");
      Http device = server.anonymous.withToken(polling.authenticate(server.anonymous).text());
      assertThat(
              device
                  .get(
                      "/api/devices/v1/deployments/device/deployments/next?device_type=board&artifact_name=app-0")
                  .status())
          .as("nothing for it")
          .isEqualTo(204);
      assertThat(server.admin.delete(TestServer.DEPLOYMENTS + "/devices/nobody").status())
          .isEqualTo(204);
    }

    @Test
    @DisplayName(
        "resetting a device's history: its finished part in an active deployment goes, and "
            + "it takes the deployment again")
    @Covers("DELETE /api/management/v1/deployments/deployments/devices/{id}/history")
    void resetHistory_deviceTakesTheDeploymentAgain() throws Exception {
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      SimulatedDevice polling = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:08:01");
      String a = server.acceptedDevice(polling);
      String b = acceptedDevice("bb:00:00:00:08:02");
      String deployment = server.deployTo("d", "app-1", List.of(a, b));
      Http device = server.anonymous.withToken(polling.authenticate(server.anonymous).text());
      String next =
          "/api/devices/v1/deployments/device/deployments/next?device_type=board&artifact_name=app-0";
      assertThat(device.get(next).status()).isEqualTo(200);
      String status = "/api/devices/v1/deployments/device/deployments/" + deployment + "/status";
      assertThat(device.put(status, Map.of("status", "failure")).status()).isEqualTo(204);
      assertThat(device.get(next).status()).as("it failed it").isEqualTo(204);

      assertThat(
              server.admin.delete(TestServer.DEPLOYMENTS + "/devices/" + a + "/history").status())
          .isEqualTo(204);
      assertThat(server.statistics(deployment).path("failure").asLong()).isZero();
      assertThat(server.statistics(deployment).path("pending").asLong()).isEqualTo(2);
      assertThat(server.admin.get(TestServer.DEPLOYMENTS + "/devices/" + a).json()).isEmpty();
      Http.Reply again = device.get(next);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().path("id").asText()).isEqualTo(deployment);
      assertThat(server.admin.delete(TestServer.DEPLOYMENTS + "/devices/nobody/history").status())
          .isEqualTo(204);
    }

    @Test
    @DisplayName("unknown ids are 404; aborting a finished deployment is 422")
    void unknownAndFinished() throws Exception {
      for (String path :
          List.of(
              TestServer.DEPLOYMENTS + "/nope",
              TestServer.DEPLOYMENTS + "/nope/statistics",
              TestServer.DEPLOYMENTS + "/nope/devices",
              TestServer.ARTIFACTS + "/nope",
              TestServer.DEVAUTH + "/nope",
              INVENTORY + "/devices/nope",
              FILTERS + "/nope",
              RELEASES + "/nope")) {
        Http.Reply reply = server.admin.get(path);
        assertThat(reply.status()).as(path).isEqualTo(404);
        assertThat(reply.json().path("request_id").asText()).isNotEmpty();
      }
      server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
      String a = acceptedDevice("bb:00:00:00:07:01");
      String d = server.deployTo("x", "app-1", List.of(a));
      String abort = TestServer.DEPLOYMENTS + "/" + d + "/status";
      assertThat(server.admin.put(abort, Map.of("status", "paused")).status()).isEqualTo(400);
      assertThat(server.admin.put(abort, Map.of("status", "aborted")).status()).isEqualTo(204);
      assertThat(server.admin.put(abort, Map.of("status", "aborted")).status()).isEqualTo(422);
      assertThat(server.statistics(d).path("aborted").asLong()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("without the admin token: 401; unknown path 404; wrong method 405 with Allow")
  void access() {
    assertThat(server.anonymous.get(TestServer.DEPLOYMENTS).status()).isEqualTo(401);
    assertThat(server.anonymous.withToken("wrong").get(TestServer.DEPLOYMENTS).status())
        .isEqualTo(401);
    assertThat(server.admin.get("/api/management/v1/nothing").status()).isEqualTo(404);
    Http.Reply wrongMethod = server.admin.delete(TestServer.DEPLOYMENTS);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).contains("GET, POST");
  }

  @Test
  @DisplayName(
      "the embedded database and artifacts survive a restart, with the same admin " + "token")
  void restart_keepsState() throws Exception {
    String id = server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    String token = server.server.adminToken();
    server.close();
    server = new TestServer(ServerConfig.defaults(directory.resolve("server")));
    assertThat(server.server.adminToken()).isEqualTo(token);
    assertThat(server.admin.get(TestServer.ARTIFACTS + "/" + id).json().path("name").asText())
        .isEqualTo("app-1");
  }
}
