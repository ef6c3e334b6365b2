package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for tests: the server's URL, an optional bearer token, JSON bodies. */
final class Http {
  /** A response: status, body, headers. */
  record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      return Json.parse(body);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** The last path segment of the Location header: the id of what a POST created. */
    String createdId() {
      String location =
          header("Location")
              .orElseThrow(
                  () -> new AssertionError("no Location in a " + status + " reply: " + text()));
      return location.substring(location.lastIndexOf('/') + 1);
    }
  }

  private final HttpClient client;
  private final URI base;
  private final Optional<String> token;

  /** A client of {@code base}; over HTTPS it trusts the certificate {@code trusted} names. */
  Http(URI base, Optional<String> token, Optional<javax.net.ssl.SSLContext> trusted) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    trusted.ifPresent(builder::sslContext);
    this.client = builder.build();
    this.base = base;
    this.token = token;
  }

  private Http(HttpClient client, URI base, Optional<String> token) {
    this.client = client;
    this.base = base;
    this.token = token;
  }

  Http withToken(String token) {
    return new Http(client, base, Optional.of(token));
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  Reply post(String path, Object json) {
    return send(path, "POST", Json.write(json));
  }

  Reply put(String path, Object json) {
    return send(path, "PUT", Json.write(json));
  }

  Reply patch(String path, Object json) {
    return send(path, "PATCH", Json.write(json));
  }

  /** Raw bytes as the body, for malformed and oversized requests. */
  Reply send(String path, String method, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : base.resolve(path))
            .timeout(Duration.ofSeconds(30));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return request;
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
