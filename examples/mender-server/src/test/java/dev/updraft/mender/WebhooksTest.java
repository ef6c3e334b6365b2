package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.EventPage;
import dev.updraft.core.engine.FeedEvent;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import dev.updraft.test.TestFleet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Webhooks delivered from the event feed, against a receiver in this JVM. Time is simulated: the
 * delivery thread's pauses move a manual clock instead of sleeping, and the receiver is down while
 * that clock is in its outage, so ten minutes of backoff run in a moment.
 */
class WebhooksTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final DeviceState STATE = DeviceState.of("board", "v0");

  private final ManualClock clock = new ManualClock(T0);
  private final InMemoryStore store = new InMemoryStore();
  private final Updraft engine = Updraft.builder(store).eventRetention(10_000).build();

  /** Bodies the receiver took, in the order it took them (its threads write it). */
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  /** When, by the simulated clock, the receiver was called while it was down. */
  private final List<Instant> refusedAt = new CopyOnWriteArrayList<>();

  /** Whether the receiver is down at a simulated instant. */
  private volatile Predicate<Instant> down = at -> false;

  /** Ids the receiver answers 400 for. */
  private final Set<String> refusing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private HttpServer receiver;
  private final List<Webhooks> started = new ArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          JsonNode body = Json.parse(exchange.getRequestBody().readAllBytes());
          int status;
          if (down.test(clock.instant())) {
            refusedAt.add(clock.instant());
            status = 503;
          } else if (refusing.contains(body.path("id").asText())) {
            status = 400;
          } else {
            assertThat(exchange.getRequestHeaders().getFirst("Idempotency-Key"))
                .isEqualTo(body.path("id").asText());
            received.add(body);
            status = 204;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    started.forEach(Webhooks::close);
    receiver.stop(0);
  }

  /** Webhooks to the receiver, backoff 500 ms doubling to 60 s, pausing in simulated time. */
  private Webhooks webhooks() {
    return webhooks(
        engine,
        Duration.ofSeconds(60),
        pause -> {
          clock.advance(pause);
          Thread.sleep(1);
        });
  }

  /** Webhooks of {@code over} to the receiver, started: backoff from 500 ms up to {@code max}. */
  private Webhooks webhooks(Updraft over, Duration max, Webhooks.Pause pause) {
    Webhooks hooks =
        new Webhooks(
            over,
            URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"),
            Duration.ofMillis(500),
            max,
            pause,
            clock);
    started.add(hooks);
    return hooks.start();
  }

  /** A deployment to {@code count} new devices, which poll and report success: its id. */
  private String rollOut(String prefix, int count) {
    List<String> devices = TestFleet.of(engine).devices(prefix, count).build();
    engine.addArtifact(
        Artifact.builder()
            .id("a-" + prefix)
            .name("r-" + prefix)
            .addDeviceTypes("board")
            .size(100)
            .checksum("sum")
            .location(URI.create("s3://bucket/" + prefix))
            .build());
    String id =
        engine
            .createDeployment(
                DeploymentRequest.builder()
                    .name(prefix)
                    .releaseName("r-" + prefix)
                    .addAllDevices(devices)
                    .build())
            .deployment()
            .id();
    for (String device : devices) {
      engine.poll(device, STATE);
      engine.report(device, id, DeviceDeploymentStatus.DOWNLOADING);
      engine.report(device, id, DeviceDeploymentStatus.SUCCESS);
    }
    return id;
  }

  private List<FeedEvent> feed() {
    List<FeedEvent> all = new ArrayList<>();
    long after = 0;
    for (EventPage page = engine.events(0, 1_000);
        !page.events().isEmpty();
        page = engine.events(after, 1_000)) {
      all.addAll(page.events());
      after = page.next(after);
    }
    return all;
  }

  /** Waits until the receiver holds every event of the feed; the ids it got, first receipts. */
  private List<String> awaitAllReceived() {
    List<String> expected = feed().stream().map(e -> e.event().id()).toList();
    return TestServer.await(
        "every event of the feed at the receiver",
        () -> {
          List<String> got =
              List.copyOf(
                  new LinkedHashSet<>(received.stream().map(b -> b.path("id").asText()).toList()));
          return got.containsAll(expected) ? Optional.of(got) : Optional.empty();
        });
  }

  @Test
  @DisplayName(
      "a receiver down for 10 minutes gets every event afterwards, in order, and the backoff"
          + " doubled up to its cap meanwhile; the status shows the failure, then no lag")
  void receiverDownTenMinutes_getsEverything() {
    rollOut("before-", 5);
    // down for 10 simulated minutes, and until this test has looked at the status meanwhile
    Instant outageEnds = T0.plus(Duration.ofMinutes(10));
    AtomicBoolean held = new AtomicBoolean(true);
    down = at -> held.get() || at.isBefore(outageEnds);
    Webhooks hooks = webhooks();
    TestServer.await(
        "a delivery refused", () -> refusedAt.size() >= 3 ? Optional.of(true) : Optional.empty());
    Webhooks.Status failing = hooks.status();
    assertThat(failing.failingSince()).isPresent();
    assertThat(failing.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503"));
    assertThat(failing.delivered()).isZero();
    rollOut("during-", 5); // events made while the receiver is down
    held.set(false);

    List<String> got = awaitAllReceived();

    List<FeedEvent> feed = feed();
    assertThat(got)
        .as("every event, once, in the feed's order")
        .containsExactlyElementsOf(feed.stream().map(e -> e.event().id()).toList());
    assertThat(received)
        .extracting(b -> b.path("position").asLong())
        .as("delivered in position order")
        .isSorted();
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < refusedAt.size(); i++) {
      gaps.add(Duration.between(refusedAt.get(i - 1), refusedAt.get(i)));
    }
    assertThat(gaps)
        .as("backoff: 0.5 s doubling, capped at 60 s")
        .startsWith(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4))
        .contains(Duration.ofSeconds(60))
        .allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(Duration.ofSeconds(60)));
    assertThat(refusedAt.get(refusedAt.size() - 1))
        .as("refused for at least the 10 minutes")
        .isAfterOrEqualTo(outageEnds.minus(Duration.ofSeconds(60)));
    Webhooks.Status recovered =
        TestServer.await(
            "the cursor acknowledged",
            () ->
                engine.eventCursor(Webhooks.CONSUMER) == feed.size()
                    ? Optional.of(hooks.status())
                    : Optional.empty());
    assertThat(recovered.delivered()).isEqualTo(feed.size());
    assertThat(recovered.lag()).isZero();
    assertThat(recovered.failingSince()).isEmpty();
  }

  @Test
  @DisplayName(
      "a restart goes on from the acknowledged cursor: nothing is missed, and only what was not"
          + " acknowledged is delivered twice")
  void restart_resumesFromCursor() {
    rollOut("first-", 3);
    Webhooks first = webhooks();
    awaitAllReceived();
    long acknowledged =
        TestServer.await(
            "the first run's cursor",
            () -> {
              long cursor = engine.eventCursor(Webhooks.CONSUMER);
              return cursor == feed().size() ? Optional.of(cursor) : Optional.empty();
            });
    first.close();
    int before = received.size();
    rollOut("second-", 3);

    webhooks();
    List<String> got = awaitAllReceived();

    assertThat(got).containsExactlyElementsOf(feed().stream().map(e -> e.event().id()).toList());
    assertThat(received.subList(before, received.size()))
        .extracting(b -> b.path("position").asLong())
        .as("the second run starts after the cursor")
        .allSatisfy(p -> assertThat(p).isGreaterThan(acknowledged));
  }

  @Test
  @DisplayName(
      "an event the receiver refuses (400) is skipped and counted; events the retention trimmed"
          + " before delivery are counted as missed")
  void refused_skipped_trimmed_missed() {
    rollOut("r-", 2);
    String refused = feed().get(2).event().id();
    refusing.add(refused);
    Webhooks hooks = webhooks();
    List<String> expected =
        feed().stream().map(e -> e.event().id()).filter(id -> !id.equals(refused)).toList();
    List<String> got =
        TestServer.await(
            "every event but the refused one",
            () -> {
              List<String> ids = received.stream().map(b -> b.path("id").asText()).toList();
              return ids.containsAll(expected) ? Optional.of(ids) : Optional.empty();
            });
    assertThat(got).doesNotContain(refused);
    assertThat(hooks.status().refused()).isEqualTo(1);
    hooks.close();

    Updraft small = Updraft.builder(store).eventRetention(5).build();
    long cursor = engine.eventCursor(Webhooks.CONSUMER);
    for (int i = 0; i < 3; i++) {
      rollOut("late-" + i + "-", 2);
    }
    long last = small.events(cursor, 1).last();
    small.events(last, 1); // a read applies the retention of 5: the cursor falls behind it
    Webhooks behind = webhooks(small, Duration.ofMillis(500), pause -> Thread.sleep(1));
    Webhooks.Status status =
        TestServer.await(
            "the missed events counted",
            () ->
                behind.status().delivered() == last
                    ? Optional.of(behind.status())
                    : Optional.empty());
    assertThat(status.missed()).isEqualTo(last - 5 - cursor);
  }
}
