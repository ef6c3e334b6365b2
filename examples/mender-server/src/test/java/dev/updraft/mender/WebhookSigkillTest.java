package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks survive a SIGKILL of the server in the middle of a rollout: every status report the
 * server acknowledged reaches the receiver as an event, once the restarted server has caught up,
 * and the events of the deployment arrive in the order they happened (first receipts; the events
 * delivered but not yet acknowledged when it died come again, with the same id).
 */
class WebhookSigkillTest {
  private static final List<String> STATUSES = List.of("downloading", "installing", "success");
  private static final int DEVICES = 8;

  /** Acknowledged reports before the kill: the kill lands in the middle of a device's update. */
  private static final int KILL_AFTER = 10;

  @TempDir Path directory;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private ServerProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.sigkill();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  @DisplayName("embedded H2: no acknowledged event is lost to a SIGKILL, none comes out of order")
  void h2() throws Exception {
    rolloutKilled(Map.of());
  }

  @Test
  @Tag("postgres")
  @DisplayName("PostgreSQL: no acknowledged event is lost to a SIGKILL, none comes out of order")
  void postgres() throws Exception {
    rolloutKilled(Map.of("UPDRAFT_JDBC_URL", TestServer.postgresUrl()));
  }

  private void rolloutKilled(Map<String, String> database) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          received.add(Json.parse(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Map<String, String> env = new HashMap<>(database);
    env.put("UPDRAFT_DATA_DIR", directory.resolve("data").toString());
    env.put("UPDRAFT_PORT", "0");
    env.put("UPDRAFT_ADMIN_TOKEN", "sigkill-admin-token");
    env.put(
        "UPDRAFT_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
    server = ServerProcess.start(env);
    Http admin = server.admin();

    String release = "hooked-" + UUID.randomUUID();
    ArtifactFiles.Upload upload =
        ArtifactFiles.Upload.of(ArtifactFiles.write(directory, release, "board"));
    assertThat(
            admin
                .send(
                    admin
                        .request(TestServer.ARTIFACTS)
                        .header("Content-Type", upload.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body())))
                .status())
        .isEqualTo(201);
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int i = 0; i < DEVICES; i++) {
      SimulatedDevice device =
          new SimulatedDevice(SimulatedDevice.KeyKind.EC, "kill:" + UUID.randomUUID());
      assertThat(device.authenticate(server.anonymous()).status()).isEqualTo(401);
      String id = deviceWithMac(admin, device.mac);
      assertThat(
              admin
                  .put(
                      TestServer.DEVAUTH + "/" + id + "/auth/" + id + "/status",
                      Map.of("status", "accepted"))
                  .status())
          .isEqualTo(204);
      Http.Reply token = device.authenticate(server.anonymous());
      assertThat(token.status()).as(token.text()).isEqualTo(200);
      tokens.put(id, token.text());
    }
    Http.Reply created =
        admin.post(
            TestServer.DEPLOYMENTS,
            Map.of(
                "name",
                release,
                "artifact_name",
                release,
                "devices",
                List.copyOf(tokens.keySet())));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String deployment = created.createdId();

    // Each device polls, then reports each status; a report answered 204 is acknowledged. The
    // server dies by SIGKILL right after the KILL_AFTER-th, and the devices go on once it is back.
    List<String[]> acknowledged = new ArrayList<>();
    Map<String, Integer> reported = new HashMap<>();
    boolean killed = false;
    for (Map.Entry<String, String> device : tokens.entrySet()) {
      Http api = server.anonymous().withToken(device.getValue());
      int done = reported.getOrDefault(device.getKey(), 0);
      if (done == 0) {
        Http.Reply next =
            api.post(
                "/api/devices/v2/deployments/device/deployments/next",
                Map.of("device_provides", Map.of("device_type", "board", "artifact_name", "v0")));
        assertThat(next.json().path("id").asText()).as(next.text()).isEqualTo(deployment);
      }
      for (int s = done; s < STATUSES.size(); s++) {
        Http.Reply report =
            api.put(
                "/api/devices/v1/deployments/device/deployments/" + deployment + "/status",
                Map.of("status", STATUSES.get(s)));
        assertThat(report.status()).as(report.text()).isEqualTo(204);
        acknowledged.add(new String[] {device.getKey(), STATUSES.get(s)});
        reported.put(device.getKey(), s + 1);
        if (!killed && acknowledged.size() == KILL_AFTER) {
          server.sigkill();
          killed = true;
          server = ServerProcess.start(env);
          api = server.anonymous().withToken(device.getValue());
        }
      }
    }
    assertThat(killed).isTrue();

    Http after = server.admin();
    List<JsonNode> feed = feedOf(after, deployment);
    TestServer.await(
        "the receiver to hold every event of the deployment",
        () -> {
          List<String> got =
              firstReceipts(deployment).stream().map(e -> e.path("id").asText()).toList();
          return got.containsAll(feed.stream().map(e -> e.path("id").asText()).toList())
              ? Optional.of(got)
              : Optional.empty();
        });
    JsonNode status = after.get(UpdraftApi.PREFIX + "/webhooks").json();
    assertThat(status.path("target").asText()).endsWith("/hooks");

    List<JsonNode> got = firstReceipts(deployment);
    assertThat(got)
        .extracting(e -> e.path("id").asText())
        .as("each event of the deployment, once first, in the feed's order")
        .containsExactlyElementsOf(feed.stream().map(e -> e.path("id").asText()).toList());
    assertThat(got).extracting(e -> e.path("position").asLong()).isSorted();
    for (String[] ack : acknowledged) {
      assertThat(got)
          .as("the event of %s's acknowledged report %s", ack[0], ack[1])
          .anySatisfy(
              e -> {
                assertThat(e.path("kind").asText()).isEqualTo("device_deployment_changed");
                assertThat(e.path("device_id").asText()).isEqualTo(ack[0]);
                assertThat(e.path("to").asText()).isEqualTo(ack[1]);
              });
    }
    assertThat(got).extracting(e -> e.path("kind").asText()).endsWith("deployment_finished");
  }

  /** The events of {@code deployment} the receiver got, each id at its first receipt. */
  private List<JsonNode> firstReceipts(String deployment) {
    Map<String, JsonNode> first = new LinkedHashMap<>();
    for (JsonNode event : received) {
      if (event.path("deployment_id").asText().equals(deployment)) {
        first.putIfAbsent(event.path("id").asText(), event);
      }
    }
    return List.copyOf(first.values());
  }

  /** The deployment's events as the feed holds them, read through the management API. */
  private static List<JsonNode> feedOf(Http admin, String deployment) {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = admin.get(UpdraftApi.PREFIX + "/events?limit=1000&after=" + after).json();
      if (page.path("events").isEmpty()) {
        return events;
      }
      for (JsonNode event : page.path("events")) {
        after = event.path("position").asLong();
        if (event.path("deployment_id").asText().equals(deployment)) {
          events.add(event);
        }
      }
    }
  }

  private static String deviceWithMac(Http admin, String mac) {
    return TestServer.await(
        "device " + mac + " to ask for admission",
        () -> {
          for (JsonNode device : admin.get(TestServer.DEVAUTH + "?per_page=500").json()) {
            if (mac.equals(device.path("identity_data").path("mac").asText())) {
              return Optional.of(device.path("id").asText());
            }
          }
          return Optional.<String>empty();
        });
  }
}
