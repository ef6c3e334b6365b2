package dev.updraft.mender;

import dev.updraft.core.ConflictException;
import dev.updraft.core.EventsTrimmedException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests by method and path template ({@code /devices/{id}}), checks who may call the
 * route, reads the body, runs the handler, maps the library's exceptions to Mender's status codes
 * and logs one line per request.
 *
 * <p>No thread waits on a client here. A route's body is read as it arrives, without a thread,
 * within the route's size limit and the body timeout, and only after the caller's token has been
 * checked; the handler then runs on a request thread with the whole body in hand, and its reply is
 * written as the client takes it. Only streaming routes (artifact uploads, which the admin token or
 * a signed link guards before a byte is read, and a count bounds) read their body on the request
 * thread.
 */
final class Router extends Handler.Abstract {
  private static final Logger REQUESTS = LoggerFactory.getLogger("dev.updraft.mender.requests");
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** A request id a client may choose: what Mender's services send, nothing a log could misread. */
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Who may call a route. */
  enum Access {
    /** Anyone: the route checks what it needs itself (auth requests, signed download links). */
    OPEN,
    /** A device with a valid token. */
    DEVICE,
    /** A user with the admin token. */
    ADMIN
  }

  /** Handles one routed request. */
  @FunctionalInterface
  interface Handler {
    void handle(Call call) throws IOException;
  }

  /**
   * A route; {@code maxBody} is the largest body it reads before its handler runs, or -1 when the
   * handler streams the body itself.
   */
  private record Route(
      String method,
      Pattern pattern,
      List<String> names,
      Access access,
      long maxBody,
      Handler handler) {}

  private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");
  private static final long STREAMED = -1;

  private final List<Route> routes = new ArrayList<>();
  private final Authority authority;
  private final long maxBodyBytes;
  private final Duration bodyTimeout;

  Router(Authority authority, long maxBodyBytes, Duration bodyTimeout) {
    this.authority = authority;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeout = bodyTimeout;
  }

  /** A route whose body, if any, is JSON of at most the server's body limit. */
  Router route(String method, String template, Access access, Handler handler) {
    return route(method, template, access, maxBodyBytes, handler);
  }

  /** A route whose body is at most {@code maxBody} bytes. */
  Router route(String method, String template, Access access, long maxBody, Handler handler) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(template);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    routes.add(
        new Route(method, Pattern.compile(regex.toString()), names, access, maxBody, handler));
    return this;
  }

  /** A route whose handler reads the body itself, through {@link Call#bodyStream}. */
  Router streaming(String method, String template, Access access, Handler handler) {
    return route(method, template, access, STREAMED, handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    Call call = new Call(request, response, requestId(request.getHeaders().get("X-MEN-RequestID")));
    Callback done = logged(call, start, callback);
    Route route;
    try {
      route = dispatch(call);
    } catch (Throwable refused) {
      answer(call, refused);
      finishUnread(request, call, done);
      return true;
    }
    if (route.maxBody() == STREAMED || request.getLength() == 0) {
      runHandler(route, call, done);
    } else if (request.getLength() > route.maxBody()) {
      call.error(413, "request body larger than " + route.maxBody() + " bytes");
      finishUnread(request, call, done);
    } else {
      readBody(request, route, call, done);
    }
    return true;
  }

  /** The route for the call, its parameters set and its caller checked; throws when none. */
  private Route dispatch(Call call) {
    String path = call.path();
    String method = call.method();
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      if (!route.method().equals(method)) {
        allowed.add(route.method());
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (int i = 0; i < route.names().size(); i++) {
        parameters.put(route.names().get(i), Call.decodeSegment(m.group(i + 1)));
      }
      call.parameters(parameters);
      switch (route.access()) {
        case DEVICE -> call.device(authority.device(call.bearer()));
        case ADMIN -> {
          authority.admin(call.bearer());
          call.admin();
        }
        case OPEN -> {}
      }
      return route;
    }
    if (!allowed.isEmpty()) {
      call.header("Allow", String.join(", ", allowed));
      throw new ApiException(405, "method " + method + " not allowed");
    }
    throw ApiException.notFound("no such endpoint");
  }

  /**
   * Reads the body as it arrives, on no thread of its own, then runs the route. A body over the
   * route's limit is a 413; one not whole within the body timeout a 408, and the connection closes.
   */
  private void readBody(Request request, Route route, Call call, Callback done) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    AtomicBoolean ended = new AtomicBoolean();
    new Runnable() {
      /** Set when the body did not come whole with the head (most do: no timer for them). */
      private Scheduler.Task timeout;

      @Override
      public void run() {
        while (!ended.get()) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            if (timeout == null) {
              timeout = scheduleTimeout(request, call, done, ended);
            }
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            end(
                () -> {
                  answer(call, new Call.ClientGone(chunk.getFailure()));
                  finish(call, done);
                });
            return;
          }
          ByteBuffer bytes = chunk.getByteBuffer();
          boolean tooLarge = body.size() + bytes.remaining() > route.maxBody();
          if (!tooLarge) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.writeBytes(copy);
          }
          chunk.release();
          if (tooLarge) {
            end(
                () -> {
                  call.header(HttpHeader.CONNECTION.asString(), "close");
                  call.error(413, "request body larger than " + route.maxBody() + " bytes");
                  finish(call, done);
                });
            return;
          }
          if (chunk.isLast()) {
            end(
                () -> {
                  call.body(body.toByteArray());
                  runHandler(route, call, done);
                });
            return;
          }
        }
      }

      /** Runs {@code then} unless the timeout has ended the request first. */
      private void end(Runnable then) {
        if (ended.compareAndSet(false, true)) {
          if (timeout != null) {
            timeout.cancel();
          }
          then.run();
        }
      }
    }.run();
  }

  /** Answers 408 and closes the connection when the body is not whole within the body timeout. */
  private Scheduler.Task scheduleTimeout(
      Request request, Call call, Callback done, AtomicBoolean ended) {
    return request
        .getComponents()
        .getScheduler()
        .schedule(
            () -> {
              if (ended.compareAndSet(false, true)) {
                request.fail(new java.util.concurrent.TimeoutException("body timeout"));
                call.header(HttpHeader.CONNECTION.asString(), "close");
                call.error(408, "request body not received within " + bodyTimeout);
                call.detail("body timeout");
                finish(call, done);
              }
            },
            bodyTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Runs the handler, answers whatever it threw, and sends the reply. */
  private void runHandler(Route route, Call call, Callback done) {
    try {
      route.handler().handle(call);
    } catch (Throwable failure) {
      answer(call, failure);
      if (route.maxBody() == STREAMED && call.declaredLength() != 0) {
        // a refused stream may be unread: the connection closes, so no client may reuse it
        call.header(HttpHeader.CONNECTION.asString(), "close");
      }
    }
    finish(call, done);
  }

  /** Sets the reply for what a handler threw; logs what is the server's fault, once. */
  private static void answer(Call call, Throwable failure) {
    if (failure instanceof ApiException refused) {
      call.error(refused.status(), refused.getMessage());
    } else if (failure instanceof InvalidInputException invalid) {
      call.error(400, invalid.getMessage());
    } else if (failure instanceof EventsTrimmedException trimmed) {
      call.error(410, trimmed.getMessage());
    } else if (failure instanceof NotFoundException absent) {
      call.error(404, absent.getMessage());
    } else if (failure instanceof ConflictException
        || failure instanceof IllegalTransitionException) {
      call.error(409, failure.getMessage());
    } else if (failure instanceof Call.ClientGone gone) {
      call.header(HttpHeader.CONNECTION.asString(), "close");
      call.error(400, "request body not received whole");
      call.detail("client gone: " + gone.getCause());
    } else {
      LOG.error(
          "request_id={} method={} path={} failed",
          call.requestId(),
          LogText.quote(call.method()),
          LogText.quote(call.path()),
          failure);
      call.error(500, "internal error");
    }
  }

  /**
   * Answers before the request's body, if it has one, is read: the connection then closes, since
   * the unread body stands between it and a next request.
   */
  private static void finishUnread(Request request, Call call, Callback done) {
    if (request.getLength() != 0) {
      call.header(HttpHeader.CONNECTION.asString(), "close");
    }
    finish(call, done);
  }

  private static void finish(Call call, Callback done) {
    try {
      call.respond(done);
    } catch (Throwable failed) {
      done.failed(failed);
    }
  }

  /**
   * {@code callback}, after the request's log line: the outcome when the reply went out, or a
   * client that went away before it did (INFO: not the server's fault, no stack trace).
   */
  private static Callback logged(Call call, long start, Callback callback) {
    return Callback.from(
        () -> {
          log(call, start, call.detail());
          callback.succeeded();
        },
        failed -> {
          log(call, start, "client gone before the reply: " + failed);
          callback.failed(failed);
        });
  }

  private static void log(Call call, long start, String detail) {
    REQUESTS.info(
        "request_id={} method={} path={} status={} ms={} caller={} detail={}",
        call.requestId(),
        LogText.quote(call.method()),
        LogText.quote(call.path()),
        call.status(),
        (System.nanoTime() - start) / 1_000_000,
        LogText.quote(call.caller()),
        LogText.quote(detail));
  }

  /** The client's {@code X-MEN-RequestID} when it is a plain token, a new one otherwise. */
  static String requestId(String offered) {
    return offered != null && REQUEST_ID.matcher(offered).matches()
        ? offered
        : UUID.randomUUID().toString();
  }
}
