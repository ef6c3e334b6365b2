package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The router's last line: whatever a handler throws is answered, logged once, and survived. */
class RouterTest {
  private Server jetty;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    Authority authority =
        new Authority(
            new byte[32],
            "token",
            Clock.systemUTC(),
            Duration.ofHours(1),
            Duration.ofHours(1),
            tokenId -> Optional.empty());
    Router router = new Router(authority, 1024, Duration.ofSeconds(5));
    router.route(
        "GET",
        "/error/{kind}",
        Router.Access.OPEN,
        call -> {
          switch (call.parameter("kind")) {
            case "stack" -> throw new StackOverflowError("deep");
            case "assertion" -> throw new AssertionError("broken invariant");
            case "runtime" -> throw new IllegalStateException("bug");
            default -> call.text(200, "fine");
          }
        });
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(router);
    jetty.start();
    http =
        new Http(
            URI.create("http://127.0.0.1:" + connector.getLocalPort()),
            Optional.empty(),
            Optional.empty());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  @DisplayName(
      "an Error or a RuntimeException thrown by a handler is a 500 with Mender's error body, logged"
          + " once at ERROR, and the next request is served")
  void throwablesAnswered() throws Exception {
    for (String kind : List.of("stack", "assertion", "runtime")) {
      Http.Reply reply =
          http.send(http.request("/error/" + kind).header("X-MEN-RequestID", "fail-" + kind));
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.json().path("error").asText()).isEqualTo("internal error");
      assertThat(reply.json().path("request_id").asText()).isEqualTo("fail-" + kind);
    }
    assertThat(http.get("/error/none").text()).isEqualTo("fine");
    List<String> log = Files.readAllLines(Path.of("target/server.log"), StandardCharsets.UTF_8);
    for (String kind : List.of("stack", "assertion", "runtime")) {
      assertThat(log)
          .filteredOn(l -> l.contains("ERROR") && l.contains("request_id=fail-" + kind + " "))
          .hasSize(1);
      assertThat(log)
          .filteredOn(l -> l.contains("request_id=fail-" + kind + " ") && l.contains("status=500"))
          .hasSize(1);
    }
  }
}
