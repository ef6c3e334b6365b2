package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One request and its response, as the handlers see them. */
final class Call {
  private final HttpExchange exchange;
  private final String requestId;
  private final long maxBodyBytes;
  private Map<String, String> parameters = Map.of();
  private Map<String, List<String>> query;
  private String caller = "-";
  private String detail = "-";
  private int status;

  Call(HttpExchange exchange, String requestId, long maxBodyBytes) {
    this.exchange = exchange;
    this.requestId = requestId;
    this.maxBodyBytes = maxBodyBytes;
  }

  HttpExchange exchange() {
    return exchange;
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
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** The scheme and host the caller reached, e.g. {@code https://127.0.0.1:8443}. */
  String baseUrl() {
    String scheme = exchange instanceof com.sun.net.httpserver.HttpsExchange ? "https" : "http";
    return scheme + "://" + header("Host").orElse("127.0.0.1");
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  // ------------------------------------------------------------------ query

  List<String> queryAll(String name) {
    if (query == null) {
      query = new LinkedHashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
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

  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw ApiException.badRequest("malformed URL encoding: " + raw);
    }
  }

  // ------------------------------------------------------------------ body

  /** The declared {@code Content-Length}; 400 when it is not a number. */
  Optional<Long> declaredLength() {
    Optional<String> declared = header("Content-Length").map(String::trim);
    try {
      return declared.map(Long::parseLong);
    } catch (NumberFormatException malformed) {
      throw ApiException.badRequest("malformed Content-Length: " + declared.get());
    }
  }

  /** The request body, at most the server's limit (413 beyond it). */
  byte[] body() throws IOException {
    if (declaredLength().orElse(0L) > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      return body;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(413, "request body larger than " + maxBodyBytes + " bytes");
  }

  /** The body as JSON; 400 naming the problem when it is not JSON. */
  JsonNode json() throws IOException {
    return Json.parse(body());
  }

  // ------------------------------------------------------------------ response

  void header(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  void json(int code, Object body) throws IOException {
    bytes(code, "application/json; charset=utf-8", Json.write(body));
  }

  void text(int code, String body) throws IOException {
    bytes(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int code, String contentType, byte[] body) throws IOException {
    header("Content-Type", contentType);
    send(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A response with no body (204, 201 with Location, …). */
  void empty(int code) throws IOException {
    send(code, -1);
  }

  /** Sends the status line and headers; {@code length} -1 means no body. */
  void send(int code, long length) throws IOException {
    status = code;
    exchange.getResponseHeaders().set("X-MEN-RequestID", requestId);
    exchange.sendResponseHeaders(code, length);
  }

  /** Mender's error body: {@code {"error": …, "request_id": …}}. */
  void error(int code, String message) {
    if (status != 0) {
      return; // the response had started: nothing more can be said
    }
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", message);
      body.put("request_id", requestId);
      json(code, body);
    } catch (IOException gone) {
      status = code; // the client went away; the log line still says what happened
    }
  }
}
