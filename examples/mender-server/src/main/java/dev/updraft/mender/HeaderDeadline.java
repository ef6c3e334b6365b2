package dev.updraft.mender;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers, once begun, have not all arrived within the
 * header timeout. Jetty's idle timeout only closes a connection on which nothing arrives: a client
 * sending a byte a second keeps it open for as long as it likes. Once a second this looks at every
 * open connection; one found in the middle of a request's headers for longer than the timeout (the
 * same request: the connection's count of requests has not moved) is closed.
 *
 * <p>Jetty keeps its HTTP/1.1 connection class in an internal package; its parser state is what
 * tells a request's headers under way from an idle keep-alive connection, which is only the idle
 * timeout's business.
 */
final class HeaderDeadline extends AbstractLifeCycle {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

  /** When a connection was first seen reading the headers of its request number {@code count}. */
  private record Since(long count, long nanos) {}

  private final ServerConnector connector;
  private final long timeoutNanos;
  private final Map<EndPoint, Since> reading = new ConcurrentHashMap<>();
  private volatile Scheduler.Task next;

  HeaderDeadline(ServerConnector connector, Duration timeout) {
    this.connector = connector;
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
    reading.clear();
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      next = connector.getScheduler().schedule(this::check, 1, TimeUnit.SECONDS);
    }
  }

  private void check() {
    try {
      long now = System.nanoTime();
      Set<EndPoint> open = ConcurrentHashMap.newKeySet();
      for (EndPoint endPoint : connector.getConnectedEndPoints()) {
        open.add(endPoint);
        HttpConnection http = http(endPoint.getConnection());
        if (http == null || !http.getParser().inHeaderState() || http.getParser().isStart()) {
          reading.remove(endPoint);
          continue;
        }
        long count = http.getMessagesIn();
        Since since =
            reading.merge(
                endPoint,
                new Since(count, now),
                (old, fresh) -> old.count() == count ? old : fresh);
        if (now - since.nanos() > timeoutNanos) {
          reading.remove(endPoint);
          LOG.info(
              "closing {}: request headers not received within the header timeout",
              endPoint.getRemoteSocketAddress());
          endPoint.close(new TimeoutException("request headers not received in time"));
        }
      }
      reading.keySet().retainAll(open);
    } catch (RuntimeException failed) {
      LOG.warn("header deadline check failed; the next one runs in a second", failed);
    } finally {
      schedule();
    }
  }

  /** The HTTP/1.1 connection of an end point, under TLS or not; null when there is none yet. */
  private static HttpConnection http(Connection connection) {
    if (connection instanceof SslConnection tls) {
      connection = tls.getSslEndPoint().getConnection();
    }
    return connection instanceof HttpConnection http ? http : null;
  }
}
