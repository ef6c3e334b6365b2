package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Updraft's additions in the server: guard, pause and resume, explain, preview, timeouts, webhooks.
 */
class UpdraftApiTest {
  private static final String PREFIX = "/api/updraft/v1";
  private static final String NEXT = "/api/devices/v2/deployments/device/deployments/next";

  @TempDir Path directory;
  private TestServer server;
  private HttpServer receiver;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private Http admitted(String mac) {
    Http api = server.admitted(new SimulatedDevice(KeyKind.EC, mac));
    assertThat(
            api.put(
                    "/api/devices/v1/inventory/device/attributes",
                    List.of(
                        Map.of("name", "device_type", "value", "board"),
                        Map.of("name", "artifact_name", "value", "v0")))
                .status())
        .isEqualTo(200);
    return api;
  }

  private static Http.Reply next(Http device) {
    return device.post(
        NEXT, Map.of("device_provides", Map.of("device_type", "board", "artifact_name", "v0")));
  }

  private static void report(Http device, String deployment, String status) {
    TestServer.reportStatus(device, deployment, status);
  }

  @Test
  @DisplayName(
      "a guard from the creation body pauses the deployment; explain says so; resume lets "
          + "the next device start; webhooks carry every event, retried after a 500")
  void guard_explain_resume_webhooks() throws Exception {
    // written by the webhook receiver's thread while this one streams it
    List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          boolean fail = calls.incrementAndGet() == 1;
          if (!fail) {
            hooks.add(Json.parse(body));
          }
          exchange.sendResponseHeaders(fail ? 500 : 204, -1);
          exchange.close();
        });
    receiver.start();
    server =
        new TestServer(
            ServerConfig.defaults(directory.resolve("server"))
                .withWebhooks(
                    URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks")));
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    Http a = admitted("dd:00:00:00:00:01");
    Http b = admitted("dd:00:00:00:00:02");
    Http c = admitted("dd:00:00:00:00:03");
    String third = server.deviceWithMac("dd:00:00:00:00:03");
    List<String> ids =
        List.of(
            server.deviceWithMac("dd:00:00:00:00:01"),
            server.deviceWithMac("dd:00:00:00:00:02"),
            third);
    String deployment =
        server.createDeployment(
            TestServer.DEPLOYMENTS,
            Map.of(
                "name",
                "guarded",
                "artifact_name",
                "app-1",
                "devices",
                ids,
                "guard",
                Map.of("max_failure_ratio", 0.4, "min_sample", 2, "action", "pause")));
    for (Http device : List.of(a, b)) {
      assertThat(next(device).status()).isEqualTo(200);
      report(device, deployment, "failure");
    }
    JsonNode shown = server.deployment(deployment);
    assertThat(shown.path("status").asText()).isEqualTo("paused");
    assertThat(shown.path("guard_trip").path("failed").asLong()).isEqualTo(2);
    assertThat(next(c).status()).isEqualTo(204);

    JsonNode explained = server.admin.get(PREFIX + "/devices/" + third + "/explain").json();
    assertThat(explained.path("device_id").asText()).as(explained.toString()).isEqualTo(third);
    assertThat(explained.path("offered").isNull()).isTrue();
    assertThat(explained.path("deployments").get(0).path("decision").asText()).isEqualTo("paused");
    JsonNode asIfRunning =
        server
            .admin
            .get(PREFIX + "/devices/" + third + "/explain?device_type=board&artifact_name=app-1")
            .json();
    assertThat(asIfRunning.path("deployments").get(0).path("decision").asText())
        .isEqualTo("paused");

    Http.Reply resumed =
        server.admin.post(PREFIX + "/deployments/" + deployment + "/resume", Map.of());
    assertThat(resumed.json().path("paused").asBoolean()).isFalse();
    assertThat(
            server
                .admin
                .get(PREFIX + "/devices/" + third + "/explain")
                .json()
                .path("offered")
                .asText())
        .isEqualTo(deployment);
    assertThat(next(c).json().path("id").asText()).isEqualTo(deployment);
    assertThat(server.admin.post(PREFIX + "/deployments/nope/pause", Map.of()).status())
        .isEqualTo(404);

    List<String> kinds =
        TestServer.await(
            "the webhooks",
            () -> {
              List<String> seen = hooks.stream().map(h -> h.path("kind").asText()).toList();
              return seen.size() >= 10 ? Optional.of(seen) : Optional.empty();
            });
    assertThat(kinds)
        .startsWith("deployment_created")
        .contains(
            "deployment_started", "guard_triggered", "deployment_paused", "deployment_resumed");
    assertThat(kinds.stream().filter(k -> k.equals("device_deployment_changed")).count())
        .isEqualTo(5);
    assertThat(calls.get())
        .as("the first delivery failed and was retried")
        .isEqualTo(hooks.size() + 1);
    assertThat(hooks.get(0).path("deployment_id").asText()).isEqualTo(deployment);
  }

  @Test
  @DisplayName(
      "preview: device count, phase sizes, devices no artifact fits, overlapping "
          + "deployments; nothing created")
  void preview() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    Http a = admitted("dd:00:00:00:01:01");
    admitted("dd:00:00:00:01:02");
    a.put(
        "/api/devices/v1/inventory/device/attributes",
        List.of(
            Map.of("name", "device_type", "value", "other"),
            Map.of("name", "artifact_name", "value", "v0")));
    String existing =
        server.createDeployment(
            TestServer.DEPLOYMENTS,
            Map.of(
                "name",
                "first",
                "artifact_name",
                "app-1",
                "devices",
                List.of(server.deviceWithMac("dd:00:00:00:01:01"))));
    Http.Reply preview =
        server.admin.post(
            PREFIX + "/deployments/preview",
            Map.of(
                "name",
                "all",
                "artifact_name",
                "app-1",
                "all_devices",
                true,
                "phases",
                List.of(
                    Map.of("batch_size", 50),
                    Map.of(
                        "start_ts",
                        "2099-01-01T00:00:00Z",
                        "gate",
                        Map.of("min_success_ratio", 0.9, "min_sample", 1)))));
    assertThat(preview.status()).as(preview.text()).isEqualTo(200);
    JsonNode json = preview.json();
    assertThat(json.path("device_count").asLong()).isEqualTo(2);
    assertThat(json.path("phase_sizes").toString()).isEqualTo("[1,1]");
    assertThat(json.path("no_compatible_artifact").path("other").asLong()).isEqualTo(1);
    assertThat(json.path("overlapping_deployments").path(existing).asLong()).isEqualTo(1);
    assertThat(server.admin.get(TestServer.DEPLOYMENTS).json()).hasSize(1);
    Http.Reply bad =
        server.admin.post(
            PREFIX + "/deployments/preview",
            Map.of(
                "name",
                "x",
                "artifact_name",
                "app-1",
                "all_devices",
                true,
                "guard",
                Map.of("max_failure_ratio", 2)));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).contains("guard.max_failure_ratio");
  }

  @Test
  @DisplayName("a record without a report past its progress timeout is failed by the sweep")
  void progressTimeout() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    Http a = admitted("dd:00:00:00:02:01");
    String id = server.deviceWithMac("dd:00:00:00:02:01");
    String deployment =
        server.createDeployment(
            TestServer.DEPLOYMENTS,
            Map.of(
                "name",
                "t",
                "artifact_name",
                "app-1",
                "devices",
                List.of(id),
                "progress_timeout_seconds",
                3));
    assertThat(next(a).status()).isEqualTo(200);
    assertThat(sweep()).isZero();
    Instant deadline = Instant.now().plus(Duration.ofMillis(3100));
    while (Instant.now().isBefore(deadline)) {
      // wait out the timeout (3 s leave the first sweep room on a slow machine); nothing is timed
      Thread.sleep(50);
    }
    assertThat(sweep()).isEqualTo(1);
    JsonNode record =
        server.admin.get(TestServer.DEPLOYMENTS + "/" + deployment + "/devices").json().get(0);
    assertThat(record.path("status").asText()).isEqualTo(DeviceDeploymentStatus.FAILURE.wireName());
    assertThat(record.path("substate").asText()).isEqualTo("timed out");
  }

  /** Runs the timeout sweep now; how many records it timed out. */
  private int sweep() {
    return server.admin.post(PREFIX + "/timeouts/sweep", Map.of()).json().path("timed_out").asInt();
  }
}
