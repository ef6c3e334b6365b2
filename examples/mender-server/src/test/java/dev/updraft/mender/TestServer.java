package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A server on a free loopback port over a fresh data directory, and the admin's calls. */
final class TestServer implements AutoCloseable {
  static final String DEVAUTH = "/api/management/v2/devauth/devices";
  static final String ARTIFACTS = "/api/management/v1/deployments/artifacts";
  static final String DEPLOYMENTS = "/api/management/v1/deployments/deployments";

  final MenderServer server;
  final Http admin;
  final Http anonymous;

  TestServer(ServerConfig config) throws IOException {
    this(config, Optional.empty());
  }

  /** A server whose clients trust {@code trusted} (for HTTPS with a test certificate). */
  TestServer(ServerConfig config, Optional<javax.net.ssl.SSLContext> trusted) throws IOException {
    this.server = MenderServer.start(config.withPort(0));
    this.anonymous = new Http(server.url(), Optional.empty(), trusted);
    this.admin = anonymous.withToken(server.adminToken());
  }

  static TestServer embedded(Path directory) throws IOException {
    return new TestServer(ServerConfig.defaults(directory));
  }

  /** An SSL context trusting only the PEM certificate in {@code file}. */
  static javax.net.ssl.SSLContext trusting(Path file) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(file)) {
      trust.setCertificateEntry(
          "server",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() {
    server.close();
  }

  /** Uploads a .mender file as multipart/form-data; returns the reply. */
  Http.Reply upload(Path file) throws IOException {
    return upload(file, "");
  }

  /**
   * Asks the server to generate an artifact: a form with {@code fields} (each value its own part),
   * then {@code file} as the {@code file} part.
   */
  Http.Reply generate(Map<String, List<String>> fields, Path file) throws IOException {
    String boundary = "----updraft" + java.util.UUID.randomUUID();
    StringBuilder head = new StringBuilder();
    fields.forEach(
        (name, values) ->
            values.forEach(
                value ->
                    head.append("--")
                        .append(boundary)
                        .append("\r\nContent-Disposition: form-data; name=\"")
                        .append(name)
                        .append("\"\r\n\r\n")
                        .append(value)
                        .append("\r\n")));
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
        .append(file.getFileName())
        .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    return admin.send(
        admin
            .request(ARTIFACTS + "/generate")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head.toString()),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"))));
  }

  /** The device reports {@code status} for its part in {@code deployment}: 204. */
  static void reportStatus(Http device, String deployment, String status) {
    assertThat(
            device
                .put(
                    "/api/devices/v1/deployments/device/deployments/" + deployment + "/status",
                    Map.of("status", status))
                .status())
        .isEqualTo(204);
  }

  /** As above, with a {@code description} field when it is not empty. */
  Http.Reply upload(Path file, String description) throws IOException {
    ArtifactFiles.Upload upload = ArtifactFiles.Upload.of(file, description);
    return admin.send(
        admin
            .request(ARTIFACTS)
            .header("Content-Type", upload.contentType())
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(upload.head()),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofByteArray(upload.tail()))));
  }

  String uploaded(Path file) throws IOException {
    Http.Reply reply = upload(file);
    assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    return reply.createdId();
  }

  /** The id of the device whose identity has this mac, once it has asked to be admitted. */
  String deviceWithMac(String mac) {
    return await(
        "device " + mac + " to ask for admission",
        () -> {
          for (JsonNode device : admin.get(DEVAUTH + "?per_page=500").json()) {
            if (mac.equals(device.path("identity_data").path("mac").asText())) {
              return Optional.of(device.path("id").asText());
            }
          }
          return Optional.<String>empty();
        });
  }

  /**
   * A device (an EC key, identity {@code {"mac": mac}}) that asked for admission and was accepted;
   * returns its id.
   */
  String acceptedDevice(String mac) {
    return acceptedDevice(new SimulatedDevice(SimulatedDevice.KeyKind.EC, mac));
  }

  /** The device asks for admission with its key and is accepted; returns its id. */
  String acceptedDevice(SimulatedDevice device) {
    device.authenticate(anonymous);
    String id = deviceWithMac(device.mac);
    accept(id);
    return id;
  }

  void accept(String deviceId) {
    admit(deviceId, "accepted");
  }

  /** Sets a device's admission status ({@code accepted}, {@code rejected}, …): 204. */
  void admit(String deviceId, String status) {
    Http.Reply reply =
        admin.put(
            DEVAUTH + "/" + deviceId + "/auth/" + deviceId + "/status", Map.of("status", status));
    assertThat(reply.status()).as(reply.text()).isEqualTo(204);
  }

  /**
   * The device asks for admission, is accepted, and authenticates again: its API client, with the
   * token.
   */
  Http admitted(SimulatedDevice device) {
    assertThat(device.authenticate(anonymous).status()).isEqualTo(401);
    accept(deviceWithMac(device.mac));
    Http.Reply token = device.authenticate(anonymous);
    assertThat(token.status()).as(token.text()).isEqualTo(200);
    return anonymous.withToken(token.text());
  }

  /** A v1 deployment of {@code release} to the listed devices; its id. */
  String deployTo(String name, String release, List<String> devices) {
    return createDeployment(
        DEPLOYMENTS, Map.of("name", name, "artifact_name", release, "devices", devices));
  }

  /** Aborts a deployment through the management API: 204. */
  void abort(String deployment) {
    Http.Reply reply =
        admin.put(DEPLOYMENTS + "/" + deployment + "/status", Map.of("status", "aborted"));
    assertThat(reply.status()).as(reply.text()).isEqualTo(204);
  }

  String createDeployment(String path, Object body) {
    Http.Reply reply = admin.post(path, body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    return reply.createdId();
  }

  JsonNode deployment(String id) {
    return admin.get(DEPLOYMENTS + "/" + id).json();
  }

  JsonNode statistics(String id) {
    return admin.get(DEPLOYMENTS + "/" + id + "/statistics").json();
  }

  /** Waits (at most 60 s) until the deployment's statistics satisfy {@code done}. */
  JsonNode awaitStatistics(String id, Predicate<JsonNode> done, String what) {
    return await(
        what,
        () -> {
          JsonNode statistics = statistics(id);
          return done.test(statistics) ? Optional.of(statistics) : Optional.empty();
        });
  }

  /**
   * The PostgreSQL URL the build passes ({@code updraft.postgres.url}); a test without one is
   * skipped, or fails when PostgreSQL is required ({@code updraft.postgres.required}).
   */
  static String postgresUrl() {
    Optional<String> url =
        Optional.ofNullable(System.getProperty("updraft.postgres.url"))
            .filter(u -> u.startsWith("jdbc:"));
    if (url.isEmpty() && Boolean.getBoolean("updraft.postgres.required")) {
      throw new AssertionError("PostgreSQL is required but updraft.postgres.url is not set");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        url.isPresent(), "no PostgreSQL URL (UPDRAFT_POSTGRES_URL)");
    return url.get();
  }

  static <T> T await(String what, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
