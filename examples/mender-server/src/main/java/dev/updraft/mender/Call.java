package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response, as the handlers see them. A handler runs to its end before anything
 * is sent: it sets the reply ({@link #json}, {@link #empty}, {@link #file}, …), which the router
 * then writes without blocking a thread. So an error thrown at any point of a handler can still be
 * answered whole.
 */
final class Call {
  private final Request request;
  private final Response response;
  private final String requestId;
  private Map<String, String> parameters = Map.of();
  private Map<String, List<String>> query;
  private byte[] body = new byte[0];
  private String caller = "-";
  private String detail = "-";
  private int status;
  private Reply reply = Reply.NONE;

  /** What the response carries once the handler is done. */
  private sealed interface Reply {
    Reply NONE = new Bytes(new byte[0]);

    record Bytes(byte[] content) implements Reply {}

    record FileRange(Path file, long first, long length) implements Reply {}
  }

  Call(Request request, Response response, String requestId) {
    this.request = request;
    this.response = response;
    this.requestId = requestId;
  }

  String requestId() {
    return requestId;
  }

  String method() {
    return request.getMethod();
  }

  /** The path as sent, still percent-encoded. */
  String path() {
    return request.getHttpURI().getPath();
  }

  int status() {
    return status;
  }

  String caller() {
    return caller;
  }

  String detail() {
    return detail;
  }

  /** What the request log line says of this request's outcome beyond its status code. */
  void detail(String detail) {
    this.detail = detail;
  }

  void parameters(Map<String, String> parameters) {
    this.parameters = parameters;
  }

  /** The path parameter {@code name} of the route's template. */
  String parameter(String name) {
    return parameters.get(name);
  }

  /** The device the token names; set by the router for device routes. */
  void device(String deviceId) {
    this.caller = "device:" + deviceId;
  }

  /** The caller is a user with the admin token. */
  void admin() {
    this.caller = "admin";
  }

  String deviceId() {
    if (!caller.startsWith("device:")) {
      throw new IllegalStateException("not a device route");
    }
    return caller.substring("device:".length());
  }

  Optional<String> bearer() {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** The scheme and host the caller reached, e.g. {@code https://127.0.0.1:8443}. */
  String baseUrl() {
    return (request.isSecure() ? "https" : "http") + "://" + header("Host").orElse("127.0.0.1");
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  // ------------------------------------------------------------------ query

  List<String> queryAll(String name) {
    if (query == null) {
      query = new LinkedHashMap<>();
      String raw = request.getHttpURI().getQuery();
      if (raw != null && !raw.isEmpty()) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          String key = decode(eq < 0 ? pair : pair.substring(0, eq));
          String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
          query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
      }
    }
    return query.getOrDefault(name, List.of());
  }

  Optional<String> query(String name) {
    List<String> values = queryAll(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A positive integer query parameter, {@code fallback} when absent, 400 when not one. */
  int queryInt(String name, int fallback, int max) {
    Optional<String> raw = query(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // refused below
    }
    throw ApiException.badRequest(
        "query parameter " + name + ": '" + raw.get() + "' is not an integer in 1.." + max);
  }

  /** A query string's part: percent-escapes and {@code +} for a space. */
  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw ApiException.badRequest("malformed URL encoding: " + raw);
    }
  }

  /** A path segment: percent-escapes only ({@code +} is itself). */
  static String decodeSegment(String raw) {
    return decode(raw.replace("+", "%2B"));
  }

  // ------------------------------------------------------------------ body

  /** The declared {@code Content-Length}, or -1 when the body is chunked or absent. */
  long declaredLength() {
    return request.getLength();
  }

  /** The request body, which the router has read whole (within the route's limit). */
  byte[] body() {
    return body;
  }

  void body(byte[] body) {
    this.body = body;
  }

  /**
   * The request body as a stream, for routes that take large bodies (uploads). A read that fails
   * because the client went away or stalled past the idle timeout throws {@link ClientGone}.
   */
  InputStream bodyStream() {
    InputStream in = Content.Source.asInputStream(request);
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException failed) {
          throw new ClientGone(failed);
        }
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
          return super.read(bytes, offset, length);
        } catch (IOException failed) {
          throw new ClientGone(failed);
        }
      }
    };
  }

  /** The body as JSON; 400 naming the problem when it is not JSON. */
  JsonNode json() {
    return Json.parse(body);
  }

  // ------------------------------------------------------------------ response

  void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  void json(int code, Object body) {
    bytes(code, "application/json; charset=utf-8", Json.write(body));
  }

  void text(int code, String body) {
    bytes(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int code, String contentType, byte[] body) {
    header("Content-Type", contentType);
    status = code;
    reply = new Reply.Bytes(body);
  }

  /** A response with no body (204, 201 with Location, …). */
  void empty(int code) {
    status = code;
    reply = Reply.NONE;
  }

  /** {@code length} bytes of {@code file} from {@code first}, read as the client takes them. */
  void file(int code, Path file, long first, long length) {
    status = code;
    reply = new Reply.FileRange(file, first, length);
  }

  /** Mender's error body: {@code {"error": …, "request_id": …}}, replacing any reply set. */
  void error(int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("request_id", requestId);
    json(code, body);
  }

  /** Sends the reply; {@code done} completes when it is written or the write failed. */
  void respond(Callback done) {
    response.setStatus(status);
    response.getHeaders().put("X-MEN-RequestID", requestId);
    if (reply instanceof Reply.FileRange range) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, range.length());
      ByteBufferPool.Sized buffers =
          new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), false, 64 * 1024);
      Content.copy(
          Content.Source.from(buffers, range.file(), range.first(), range.length()),
          response,
          done);
    } else {
      byte[] content = ((Reply.Bytes) reply).content();
      if (content.length > 0 || status != 204) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
      }
      response.write(true, ByteBuffer.wrap(content), done);
    }
  }

  /** The client went away, or stalled past the idle timeout, while its request was read. */
  static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGone(Throwable cause) {
      super("the client went away: " + cause, cause);
    }
  }
}
