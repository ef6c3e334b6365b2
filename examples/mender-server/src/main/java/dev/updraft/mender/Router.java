package dev.updraft.mender;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests by method and path template ({@code /devices/{id}}), checks who may call the
 * route, maps the library's exceptions to Mender's status codes and logs one structured line per
 * request.
 */
final class Router implements HttpHandler {
  private static final Logger REQUESTS = LoggerFactory.getLogger("dev.updraft.mender.requests");
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

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

  private record Route(
      String method, Pattern pattern, List<String> names, Access access, Handler handler) {}

  private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

  private final List<Route> routes = new ArrayList<>();
  private final Authority authority;
  private final long maxBodyBytes;

  Router(Authority authority, long maxBodyBytes) {
    this.authority = authority;
    this.maxBodyBytes = maxBodyBytes;
  }

  Router route(String method, String template, Access access, Handler handler) {
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
    routes.add(new Route(method, Pattern.compile(regex.toString()), names, access, handler));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String requestId =
        firstNonBlank(exchange.getRequestHeaders().getFirst("X-MEN-RequestID"))
            .orElse(UUID.randomUUID().toString());
    Call call = new Call(exchange, requestId, maxBodyBytes);
    try {
      dispatch(call);
    } catch (ApiException refused) {
      call.error(refused.status(), refused.getMessage());
    } catch (InvalidInputException invalid) {
      call.error(400, invalid.getMessage());
    } catch (NotFoundException absent) {
      call.error(404, absent.getMessage());
    } catch (ConflictException | IllegalTransitionException conflict) {
      call.error(409, conflict.getMessage());
    } catch (RuntimeException | IOException failure) {
      LOG.error(
          "request {} {} {} failed",
          requestId,
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          failure);
      call.error(500, "internal error");
    } finally {
      exchange.close();
      REQUESTS.info(
          "request_id={} method={} path={} status={} ms={} caller={} detail={}",
          requestId,
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          call.status(),
          (System.nanoTime() - start) / 1_000_000,
          call.caller(),
          call.detail());
    }
  }

  private void dispatch(Call call) throws IOException {
    String path = call.exchange().getRequestURI().getPath();
    String method = call.exchange().getRequestMethod();
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
        parameters.put(route.names().get(i), Call.decode(m.group(i + 1)));
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
      route.handler().handle(call);
      return;
    }
    if (!allowed.isEmpty()) {
      call.exchange().getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new ApiException(405, "method " + method + " not allowed on " + path);
    }
    throw ApiException.notFound("no such endpoint: " + method + " " + path);
  }

  private static java.util.Optional<String> firstNonBlank(String value) {
    return value == null || value.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(value);
  }
}
