package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Mender client (Debian's mender-client 3.4, artifacts from mender-artifact 3.9) updates
 * through the server: each test starts a {@code mender daemon} with its own identity, accepts it
 * through the management API, deploys, and checks the outcome through the API and on disk.
 */
@Tag("mender-client")
class RealClientTest {
  @TempDir static Path shared;
  private static TestServer server;

  @TempDir Path directory;

  @BeforeAll
  static void start() throws Exception {
    RealClient.assumeAvailable();
    server = TestServer.embedded(shared.resolve("server"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RealClient client(
      TestServer on, String mac, String deviceType, String running, Optional<Path> certificate)
      throws IOException {
    return new RealClient(
        Files.createDirectories(directory.resolve("client")),
        on.server.url(),
        mac,
        deviceType,
        running,
        certificate);
  }

  /** Starts the client, waits for it to ask for admission, accepts it; returns its device id. */
  private static String admit(TestServer on, RealClient client) {
    String id = on.deviceWithMac(client.identity.mac);
    on.accept(id);
    return id;
  }

  private static long count(JsonNode statistics, String status) {
    return statistics.path(status).asLong();
  }

  @Test
  @DisplayName(
      "single-file update: the file lands, the deployment finishes with one success, "
          + "inventory shows the new artifact")
  void singleFile_success() throws Exception {
    Path destination = directory.resolve("installed/app.bin");
    Path artifact = RealClient.artifact(directory, "app-1.0", "e2e-a", "single-file", destination);
    server.uploaded(artifact);
    try (RealClient client =
        client(server, "02:00:00:00:01:01", "e2e-a", "base-0", Optional.empty())) {
      String device = admit(server, client);
      String deployment = server.deployTo("app rollout", "app-1.0", List.of(device));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
      assertThat(destination)
          .as("the installed file")
          .hasSameBinaryContentAs(directory.resolve("artifact-app-1.0/app.bin"));
      assertThat(server.deployment(deployment).path("status").asText()).isEqualTo("finished");
      TestServer.await(
          "inventory with the new artifact name",
          () -> {
            JsonNode inventory =
                server.admin.get("/api/management/v1/inventory/devices/" + device).json();
            for (JsonNode attribute : inventory.path("attributes")) {
              if (attribute.path("name").asText().equals("artifact_name")
                  && attribute.path("value").asText().equals("app-1.0")) {
                return Optional.of(true);
              }
            }
            return Optional.empty();
          });
    }
  }

  @Test
  @DisplayName("an update module that fails: failure recorded with the log the client uploaded")
  void failingModule_failureWithLog() throws Exception {
    Path artifact =
        RealClient.artifact(
            directory,
            "broken-1.0",
            "e2e-b",
            "fail-module",
            directory.resolve("unused/payload.bin"));
    server.uploaded(artifact);
    try (RealClient client =
        client(server, "02:00:00:00:01:02", "e2e-b", "base-0", Optional.empty())) {
      String device = admit(server, client);
      String deployment = server.deployTo("broken", "broken-1.0", List.of(device));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "failure")).as(client.tail()).isEqualTo(1);
      String log =
          TestServer.await(
              "the uploaded log",
              () -> {
                Http.Reply reply =
                    server.admin.get(
                        TestServer.DEPLOYMENTS + "/" + deployment + "/devices/" + device + "/log");
                return reply.status() == 200 ? Optional.of(reply.text()) : Optional.empty();
              });
      assertThat(log).contains("fail-module");
    }
  }

  @Test
  @DisplayName("offered the artifact it runs: already-installed, nothing downloaded")
  void alreadyInstalled() throws Exception {
    Path destination = directory.resolve("installed/same.bin");
    server.uploaded(
        RealClient.artifact(directory, "same-1.0", "e2e-c", "single-file", destination));
    try (RealClient client =
        client(server, "02:00:00:00:01:03", "e2e-c", "same-1.0", Optional.empty())) {
      String device = admit(server, client);
      String deployment = server.deployTo("same", "same-1.0", List.of(device));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "already-installed")).as(client.tail()).isEqualTo(1);
      assertThat(destination).doesNotExist();
    }
  }

  @Test
  @DisplayName(
      "abort while the device installs: the client's next report gets 409, the record "
          + "stays aborted, the next poll has nothing")
  void abortMidUpdate() throws Exception {
    server.uploaded(
        RealClient.artifact(
            directory,
            "slow-1.0",
            "e2e-d",
            "gated-module",
            directory.resolve("unused/payload.bin")));
    try (RealClient client =
        client(server, "02:00:00:00:01:04", "e2e-d", "base-0", Optional.empty())) {
      String device = admit(server, client);
      String deployment = server.deployTo("slow", "slow-1.0", List.of(device));
      server.awaitStatistics(deployment, s -> count(s, "installing") == 1, "installing");
      server.abort(deployment);
      client.release();
      TestServer.await(
          "the client to be told the deployment was aborted (409)",
          () ->
              client.tail().contains("deployment aborted at the backend")
                  ? Optional.of(true)
                  : Optional.empty());
      JsonNode statistics = server.statistics(deployment);
      assertThat(count(statistics, "aborted")).as(client.tail()).isEqualTo(1);
      assertThat(count(statistics, "success") + count(statistics, "failure")).isZero();
      JsonNode devices =
          server.admin.get(TestServer.DEPLOYMENTS + "/" + deployment + "/devices").json();
      assertThat(devices.get(0).path("status").asText()).isEqualTo("aborted");
      assertThat(server.deployment(deployment).path("status").asText()).isEqualTo("finished");
    }
  }

  @Test
  @DisplayName("a deployment to a static group reaches its member")
  @Covers("POST /api/management/v1/deployments/deployments/group/{name}")
  void staticGroup() throws Exception {
    Path destination = directory.resolve("installed/group.bin");
    server.uploaded(
        RealClient.artifact(directory, "group-1.0", "e2e-e", "single-file", destination));
    try (RealClient client =
        client(server, "02:00:00:00:01:05", "e2e-e", "base-0", Optional.empty())) {
      String device = admit(server, client);
      assertThat(
              server
                  .admin
                  .put(
                      "/api/management/v1/inventory/devices/" + device + "/group",
                      Map.of("group", "e2e-field"))
                  .status())
          .isEqualTo(204);
      String deployment =
          server.createDeployment(
              TestServer.DEPLOYMENTS + "/group/e2e-field",
              Map.of("name", "field", "artifact_name", "group-1.0"));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
      assertThat(destination).exists();
    }
  }

  @Test
  @DisplayName(
      "a dynamic deployment to a saved filter reaches the device that matches it and "
          + "finishes at max_devices")
  void dynamicFilter() throws Exception {
    Path destination = directory.resolve("installed/dynamic.bin");
    server.uploaded(
        RealClient.artifact(directory, "dyn-1.0", "e2e-dyn", "single-file", destination));
    Http.Reply saved =
        server.admin.post(
            "/api/management/v2/inventory/filters",
            Map.of(
                "name",
                "e2e dynamic devices",
                "terms",
                List.of(
                    Map.of(
                        "scope",
                        "inventory",
                        "attribute",
                        "device_type",
                        "type",
                        "$eq",
                        "value",
                        "e2e-dyn"))));
    assertThat(saved.status()).as(saved.text()).isEqualTo(201);
    try (RealClient client =
        client(server, "02:00:00:00:01:06", "e2e-dyn", "base-0", Optional.empty())) {
      admit(server, client);
      String deployment =
          server.createDeployment(
              "/api/management/v2/deployments/deployments",
              Map.of(
                  "name",
                  "dynamic",
                  "artifact_name",
                  "dyn-1.0",
                  "filter_id",
                  saved.createdId(),
                  "max_devices",
                  1));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
      assertThat(destination).exists();
      JsonNode shown = server.deployment(deployment);
      assertThat(shown.path("dynamic").asBoolean()).isTrue();
      assertThat(shown.path("status").asText()).isEqualTo("finished");
    }
  }

  @Test
  @DisplayName("over HTTPS with a certificate made by the test, the client updates")
  void https() throws Exception {
    Path keystore = directory.resolve("tls.p12");
    Path certificate = directory.resolve("tls.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        certificate.toString());
    try (TestServer tls =
        new TestServer(
            ServerConfig.defaults(directory.resolve("tls-server")).withTls(keystore, "changeit"),
            Optional.of(TestServer.trusting(certificate)))) {
      assertThat(tls.server.url().getScheme()).isEqualTo("https");
      Path destination = directory.resolve("installed/secure.bin");
      Path artifact =
          RealClient.artifact(directory, "secure-1.0", "e2e-tls", "single-file", destination);
      try (RealClient client =
          client(tls, "02:00:00:00:01:07", "e2e-tls", "base-0", Optional.of(certificate))) {
        tls.uploaded(artifact);
        String device = admit(tls, client);
        String deployment = tls.deployTo("secure", "secure-1.0", List.of(device));
        JsonNode statistics =
            tls.awaitStatistics(
                deployment,
                s -> count(s, "success") + count(s, "failure") > 0,
                "the TLS deployment");
        assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
        assertThat(destination).exists();
      }
    }
  }

  @Test
  @DisplayName(
      "a retry with a module that cannot roll back: the failed attempt leaves the client on "
          + "<artifact>_INCONSISTENT, the retry starts from there and installs")
  void retry_moduleWithoutRollback() throws Exception {
    server.uploaded(
        RealClient.artifact(
            directory,
            "flaky-1.0",
            "e2e-f",
            "fail-once-module",
            directory.resolve("unused/payload.bin")));
    try (RealClient client =
        client(server, "02:00:00:00:01:08", "e2e-f", "base-0", Optional.empty())) {
      String device = admit(server, client);
      String deployment =
          server.createDeployment(
              TestServer.DEPLOYMENTS,
              Map.of(
                  "name",
                  "flaky",
                  "artifact_name",
                  "flaky-1.0",
                  "devices",
                  List.of(device),
                  "retries",
                  1));
      JsonNode statistics =
          server.awaitStatistics(
              deployment,
              s -> count(s, "success") + count(s, "failure") > 0,
              "the retried deployment to finish");
      assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
      assertThat(client.directory.resolve("failed-once"))
          .as("the first attempt ran and failed")
          .exists();
      JsonNode record =
          server.admin.get(TestServer.DEPLOYMENTS + "/" + deployment + "/devices").json().get(0);
      assertThat(record.path("attempts").asInt()).isEqualTo(2);
      assertThat(record.path("status").asText()).isEqualTo("success");
    }
  }

  @Test
  @DisplayName(
      "a rotated key: the device asks with a new key, the admin accepts it (the old one is "
          + "rejected), and the same device installs an update")
  void keyRotation() throws Exception {
    Path destination = directory.resolve("installed/rotated.bin");
    server.uploaded(
        RealClient.artifact(directory, "rotated-1.0", "e2e-g", "single-file", destination));
    String mac = "02:00:00:00:01:09";
    String device;
    try (RealClient old =
        new RealClient(
            Files.createDirectories(directory.resolve("old-key")),
            server.server.url(),
            mac,
            "e2e-g",
            "base-0",
            Optional.empty())) {
      device = admit(server, old);
      TestServer.await(
          "the first key's inventory",
          () ->
              server
                      .admin
                      .get("/api/management/v1/inventory/devices/" + device)
                      .text()
                      .contains("e2e-g")
                  ? Optional.of(true)
                  : Optional.empty());
    }
    try (RealClient rotated =
        new RealClient(
            Files.createDirectories(directory.resolve("new-key")),
            server.server.url(),
            mac,
            "e2e-g",
            "base-0",
            Optional.empty())) {
      String pubkey = DeviceKeys.pem(DeviceKeys.der("pubkey", rotated.identity.publicKeyPem()));
      String newSet =
          TestServer.await(
              "the new key's auth set",
              () -> {
                for (JsonNode set :
                    server.admin.get(TestServer.DEVAUTH + "/" + device).json().path("auth_sets")) {
                  if (set.path("pubkey").asText().equals(pubkey)) {
                    return Optional.of(set.path("id").asText());
                  }
                }
                return Optional.<String>empty();
              });
      assertThat(
              server
                  .admin
                  .put(
                      TestServer.DEVAUTH + "/" + device + "/auth/" + newSet + "/status",
                      Map.of("status", "accepted"))
                  .status())
          .isEqualTo(204);
      assertThat(
              server
                  .admin
                  .get(TestServer.DEVAUTH + "/" + device + "/auth/" + device + "/status")
                  .json()
                  .path("status")
                  .asText())
          .as("the old key")
          .isEqualTo("rejected");
      String deployment = server.deployTo("rotated", "rotated-1.0", List.of(device));
      JsonNode statistics = awaitFinal(deployment, rotated);
      assertThat(count(statistics, "success")).as(rotated.tail()).isEqualTo(1);
      assertThat(destination).exists();
    }
  }

  @Test
  @DisplayName("an artifact the server generated from a file installs with the single-file module")
  @Covers("POST /api/management/v1/deployments/artifacts/generate")
  void generatedArtifact_installs() throws Exception {
    Path payload = Files.createDirectories(directory.resolve("generate")).resolve("app.conf");
    Files.writeString(payload, "generated=yes\n".repeat(64));
    Path destination = directory.resolve("installed-generated");
    Http.Reply generated =
        server.generate(
            Map.of(
                "name", List.of("generated-1.0"),
                "type", List.of("single_file"),
                "device_types_compatible", List.of("e2e-h"),
                "args", List.of("{\"dest_dir\": \"" + destination + "\"}")),
            payload);
    assertThat(generated.status()).as(generated.text()).isEqualTo(201);
    try (RealClient client =
        client(server, "02:00:00:00:01:0a", "e2e-h", "base-0", Optional.empty())) {
      String device = admit(server, client);
      String deployment = server.deployTo("generated", "generated-1.0", List.of(device));
      JsonNode statistics = awaitFinal(deployment, client);
      assertThat(count(statistics, "success")).as(client.tail()).isEqualTo(1);
      assertThat(destination.resolve("app.conf")).hasSameBinaryContentAs(payload);
    }
  }

  private JsonNode awaitFinal(String deployment, RealClient client) {
    try {
      return server.awaitStatistics(
          deployment,
          s ->
              List.of("success", "failure", "already-installed", "noartifact", "aborted").stream()
                  .anyMatch(status -> count(s, status) > 0),
          "deployment " + deployment + " to finish");
    } catch (AssertionError timeout) {
      throw new AssertionError(timeout.getMessage() + "\nclient log:\n" + client.tail(), timeout);
    }
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }
}
