package dev.updraft.mender;

import dev.updraft.core.EventsTrimmedException;
import dev.updraft.core.engine.EventPage;
import dev.updraft.core.engine.FeedEvent;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.engine.UpdraftEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the engine's event feed to a URL as webhooks, at least once: one JSON POST per event, in
 * the feed's order (so in order per deployment), from one thread, with the event's id as the {@code
 * Idempotency-Key} header. Its place is the engine's durable cursor {@value #CONSUMER}: it is
 * acknowledged after each page delivered, and a restarted server goes on from it (the events
 * delivered after the last acknowledgement are delivered again).
 *
 * <p>A delivery that fails (no connection, a timeout, a 5xx, 408 or 429) is retried with
 * exponential backoff, from {@code firstBackoff} doubling up to {@code maxBackoff}, for as long as
 * it takes: the feed keeps the events meanwhile (up to its retention). A receiver that refuses an
 * event (any other 4xx) has it skipped, counted and logged, so that one bad event cannot stop the
 * rest. Events the feed's retention removed before they were delivered are counted as missed.
 */
final class Webhooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  /** The name of the engine's cursor that holds the last event delivered. */
  static final String CONSUMER = "webhooks";

  /** The events read from the feed at once. */
  private static final int PAGE = 100;

  /** How long to wait before reading the feed again when it had nothing new. */
  private static final Duration IDLE = Duration.ofMillis(200);

  /** How the delivery thread waits: a pause the tests can make instant. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /**
   * What the management API shows of the deliveries.
   *
   * @param target where events go
   * @param delivered the position of the last event delivered (acknowledged or not)
   * @param last the feed's last position when last read
   * @param refused events the receiver refused, skipped
   * @param missed events the feed's retention removed before they were delivered
   * @param failingSince when the delivery that is being retried first failed; absent when none is
   * @param lastError why the last attempt failed; absent when none is being retried
   */
  record Status(
      URI target,
      long delivered,
      long last,
      long refused,
      long missed,
      Optional<Instant> failingSince,
      Optional<String> lastError) {
    long lag() {
      return Math.max(0, last - delivered);
    }
  }

  private final Updraft engine;
  private final URI target;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Pause pause;
  private final Clock clock;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicReference<Optional<Instant>> failingSince =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<String>> lastError =
      new AtomicReference<>(Optional.empty());
  private final Thread worker;
  private volatile boolean running = true;

  Webhooks(
      Updraft engine,
      URI target,
      Duration firstBackoff,
      Duration maxBackoff,
      Pause pause,
      Clock clock) {
    this.engine = engine;
    this.target = target;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.pause = pause;
    this.clock = clock;
    this.worker = new Thread(this::run, "webhooks");
    worker.setDaemon(true);
    worker.setUncaughtExceptionHandler(
        (thread, failure) -> LOG.error("webhook delivery stopped: {}", failure, failure));
  }

  /** Webhooks to {@code target} that wait in real time: backoff from 500 ms up to a minute. */
  static Webhooks to(Updraft engine, URI target) {
    return new Webhooks(
        engine,
        target,
        Duration.ofMillis(500),
        Duration.ofMinutes(1),
        duration -> Thread.sleep(duration.toMillis()),
        Clock.systemUTC());
  }

  /** Starts delivering from the engine's cursor; returns this. */
  Webhooks start() {
    worker.start();
    return this;
  }

  Status status() {
    return new Status(
        target,
        delivered.get(),
        Math.max(last.get(), delivered.get()),
        refused.get(),
        missed.get(),
        failingSince.get(),
        lastError.get());
  }

  private void run() {
    Duration backoff = firstBackoff;
    while (running) {
      try {
        deliverFromCursor();
        return;
      } catch (InterruptedException stopping) {
        return;
      } catch (RuntimeException failed) { // the store, say
        LOG.warn("webhook delivery failed; retrying in {}", backoff, failed);
        note(failed.toString());
        try {
          pause.pause(backoff);
        } catch (InterruptedException stopping) {
          return;
        }
        backoff = min(backoff.multipliedBy(2), maxBackoff);
      }
    }
  }

  /** Reads the feed from the cursor and delivers it, until closed. */
  private void deliverFromCursor() throws InterruptedException {
    long position = engine.eventCursor(CONSUMER);
    delivered.set(position);
    while (running) {
      EventPage page;
      try {
        page = engine.events(position, PAGE);
      } catch (EventsTrimmedException trimmed) {
        long lost = trimmed.oldest() - 1 - position;
        missed.addAndGet(lost);
        LOG.error(
            "webhooks: {} events were trimmed by the feed's retention before they were delivered;"
                + " going on from {}",
            lost,
            trimmed.oldest());
        position = trimmed.oldest() - 1;
        delivered.set(position);
        engine.acknowledgeEvents(CONSUMER, position);
        continue;
      }
      last.set(page.last());
      if (page.events().isEmpty()) {
        pause.pause(IDLE);
        continue;
      }
      for (FeedEvent event : page.events()) {
        deliver(event);
        if (!running) {
          break;
        }
        position = event.position();
        delivered.set(position);
      }
      engine.acknowledgeEvents(CONSUMER, position);
    }
  }

  /** Delivers one event, retrying with backoff until the receiver takes or refuses it. */
  private void deliver(FeedEvent event) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", event.event().id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(json(event))))
            .build();
    Duration backoff = firstBackoff;
    while (running) {
      String failure;
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          failingSince.set(Optional.empty());
          lastError.set(Optional.empty());
          return;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
          long total = refused.incrementAndGet();
          LOG.warn(
              "webhook {} ({} at {}) refused with {}: skipped ({} refused so far)",
              event.event().id(),
              event.event().kind(),
              event.position(),
              status,
              total);
          return;
        }
        failure = "answered " + status;
      } catch (IOException unreachable) {
        failure = unreachable.toString();
      }
      note(failure);
      LOG.debug("webhook {} failed ({}); retrying in {}", event.position(), failure, backoff);
      pause.pause(backoff);
      backoff = min(backoff.multipliedBy(2), maxBackoff);
    }
  }

  private void note(String failure) {
    failingSince.updateAndGet(since -> since.or(() -> Optional.of(clock.instant())));
    lastError.set(Optional.of(failure));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The webhook body: the event's id, position, kind, ids, statuses, time and detail. */
  static Map<String, Object> json(FeedEvent fed) {
    UpdraftEvent event = fed.event();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", event.id());
    json.put("position", fed.position());
    json.put("kind", event.kind().name().toLowerCase(Locale.ROOT));
    json.put("deployment_id", event.deploymentId());
    event.deviceId().ifPresent(d -> json.put("device_id", d));
    event.from().ifPresent(s -> json.put("from", s.wireName()));
    event.to().ifPresent(s -> json.put("to", s.wireName()));
    json.put("at", event.at().toString());
    if (!event.detail().isEmpty()) {
      json.put("detail", event.detail());
    }
    return json;
  }

  /** Stops delivering; what was delivered since the last acknowledgement is delivered again. */
  @Override
  public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
