package dev.updraft.mender;

import dev.updraft.core.engine.EventListener;
import dev.updraft.core.engine.UpdraftEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the engine's events to a URL as webhooks: one JSON POST per event, in order, from one
 * thread. A bounded queue decouples the engine from the receiver: when it is full, new events are
 * dropped (counted and logged), never blocking a poll. A delivery that fails (no connection, a
 * status other than 2xx) is retried with exponential backoff; after the last attempt the event is
 * dropped, counted and logged.
 */
final class Webhooks implements EventListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  private final URI target;
  private final BlockingQueue<UpdraftEvent> queue;
  private final int attempts;
  private final Duration firstBackoff;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread worker;
  private volatile boolean running = true;

  Webhooks(URI target, int capacity, int attempts, Duration firstBackoff) {
    this.target = target;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.worker = new Thread(this::deliver, "webhooks");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void onEvent(UpdraftEvent event) {
    if (!queue.offer(event)) {
      long total = dropped.incrementAndGet();
      LOG.warn(
          "webhook queue full: dropped {} event for {} ({} dropped so far)",
          event.kind(),
          event.deploymentId(),
          total);
    }
  }

  long delivered() {
    return delivered.get();
  }

  long dropped() {
    return dropped.get();
  }

  private void deliver() {
    while (running) {
      UpdraftEvent event;
      try {
        event = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException stopping) {
        return;
      }
      boolean sent;
      try {
        sent = event == null || send(event);
      } catch (RuntimeException failed) {
        LOG.error("webhook {} for {} failed", event.kind(), event.deploymentId(), failed);
        sent = false;
      }
      if (!sent) {
        long total = dropped.incrementAndGet();
        LOG.warn(
            "webhook {} for {} not delivered after {} attempts: dropped ({} so far)",
            event.kind(),
            event.deploymentId(),
            attempts,
            total);
      }
    }
  }

  /** Sends one event, retrying with backoff; whether it was delivered. */
  private boolean send(UpdraftEvent event) {
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(json(event))))
            .build();
    Duration backoff = firstBackoff;
    for (int attempt = 1; attempt <= attempts && running; attempt++) {
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          delivered.incrementAndGet();
          return true;
        }
        LOG.debug("webhook attempt {} answered {}", attempt, status);
      } catch (IOException unreachable) {
        LOG.debug("webhook attempt {} failed: {}", attempt, unreachable.toString());
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (attempt < attempts) {
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException stopping) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoff = backoff.multipliedBy(2);
      }
    }
    return false;
  }

  /** The webhook body: the event's kind, ids, statuses, time and detail. */
  static Map<String, Object> json(UpdraftEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT));
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

  @Override
  public void close() {
    running = false;
    worker.interrupt();
  }
}
