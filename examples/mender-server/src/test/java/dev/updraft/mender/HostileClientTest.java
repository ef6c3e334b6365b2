package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against clients that attack it or misbehave: slow headers and bodies, abandoned
 * bodies, oversized heads, forged log lines, clients that go away. Each gets a 4xx or a closed
 * connection, and the server goes on answering devices.
 */
class HostileClientTest {
  private static final String NEXT_V2 = "/api/devices/v2/deployments/device/deployments/next";
  private static final String AUTH = "/api/devices/v1/authentication/auth_requests";
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path directory;
  private TestServer server;
  private URI url;
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);

  @BeforeEach
  void start() throws Exception {
    server =
        new TestServer(
            ServerConfig.defaults(directory.resolve("server"))
                .withLimits(
                    ServerConfig.Limits.defaults()
                        .withTimeouts(
                            new ServerConfig.Timeouts(
                                HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT))));
    url = server.server.url();
  }

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket socket : sockets) {
      socket.close();
    }
    server.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(url.getHost(), url.getPort());
    sockets.add(socket);
    return socket;
  }

  private static void write(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException closed) {
      // the server closed it: what these tests wait for
    }
  }

  /** Sends {@code text} a byte every 200 ms, as a slow or hostile client does. */
  private void trickle(Socket socket, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int[] next = {0};
    trickle.scheduleWithFixedDelay(
        () -> {
          if (next[0] < bytes.length && !socket.isClosed()) {
            write(socket, String.valueOf((char) bytes[next[0]++]));
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
  }

  /** Whether the server closed the connection within {@code within} (reading what it sent). */
  private static String readUntilClosed(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      byte[] all = in.readAllBytes();
      return new String(all, StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException stillOpen) {
      return "still open";
    } catch (IOException reset) {
      return "reset";
    }
  }

  private Http admittedDevice() {
    return server.admitted(new SimulatedDevice(SimulatedDevice.KeyKind.EC, "02:00:00:00:00:01"));
  }

  /** A device poll, which must be answered within a second. */
  private static int poll(Http device) {
    return device
        .send(
            device
                .request(NEXT_V2)
                .timeout(Duration.ofSeconds(1))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        Json.write(
                            Map.of(
                                "device_provides",
                                Map.of("device_type", "board", "artifact_name", "app-0"))))))
        .status();
  }

  @Test
  @DisplayName(
      "200 clients sending their headers a byte at a time neither keep device polls from an"
          + " answer within a second nor keep their connections past the header timeout")
  void slowHeaders() throws Exception {
    Http device = admittedDevice();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Socket socket = connect();
      slow.add(socket);
      trickle(
          socket,
          "GET " + NEXT_V2 + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(100));
    }
    Thread.sleep(500);
    for (int i = 0; i < 5; i++) {
      assertThat(poll(device)).isEqualTo(204);
    }
    // the header timeout (2 s) and a check a second: closed well within 5 s of their start
    for (Socket socket : slow) {
      assertThat(readUntilClosed(socket, Duration.ofSeconds(5))).isNotEqualTo("still open");
    }
    assertThat(poll(device)).isEqualTo(204);
  }

  @Test
  @DisplayName(
      "200 clients sending auth request bodies a byte at a time hold no request thread, and get"
          + " 408 at the body timeout")
  void slowBodies() throws Exception {
    Http device = admittedDevice();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Socket socket = connect();
      slow.add(socket);
      write(
          socket,
          "POST "
              + AUTH
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 1000\r\n\r\n");
      trickle(socket, "{\"id_data\": \"" + "x".repeat(990));
    }
    Thread.sleep(500);
    for (int i = 0; i < 5; i++) {
      assertThat(poll(device)).isEqualTo(204);
    }
    for (Socket socket : slow) {
      assertThat(readUntilClosed(socket, Duration.ofSeconds(6))).startsWith("HTTP/1.1 408 ");
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  @DisplayName(
      "100 auth requests and 100 artifact uploads whose bodies are never finished leave no file"
          + " descriptor and no upload file behind")
  void abandonedBodies() throws Exception {
    Http.Reply warm = server.admin.get(TestServer.ARTIFACTS);
    assertThat(warm.status()).isEqualTo(200);
    long before = openDescriptors();
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        write(
            socket,
            "POST "
                + AUTH
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"id_data\"");
      }
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        write(
            socket,
            "POST "
                + TestServer.ARTIFACTS
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + server.server.adminToken()
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"a\"\r\n\r\n"
                + "x".repeat(5000));
      }
    }
    // and 20 that stay open, silent, until the idle timeout closes them
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Socket socket = connect();
      silent.add(socket);
      write(
          socket, "POST " + AUTH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{");
    }
    for (Socket socket : silent) {
      assertThat(readUntilClosed(socket, Duration.ofSeconds(10))).isNotEqualTo("still open");
      socket.close();
    }
    long after = before;
    for (int wait = 0; wait < 100; wait++) {
      after = openDescriptors();
      if (after <= before + 2) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(after).as("open descriptors, %d before", before).isLessThanOrEqualTo(before + 2);
    try (Stream<Path> left = Files.list(directory.resolve("server/artifacts"))) {
      assertThat(left).isEmpty();
    }
    assertThat(server.admin.get(TestServer.ARTIFACTS).json()).isEmpty();
  }

  @Test
  @DisplayName("a request line or headers over the limit get 414 or 431, and the server goes on")
  void oversizedHeads() throws Exception {
    Socket longLine = connect();
    write(longLine, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(readUntilClosed(longLine, Duration.ofSeconds(5))).startsWith("HTTP/1.1 414 ");
    Socket longHeaders = connect();
    write(
        longHeaders,
        "GET "
            + NEXT_V2
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
            + "a".repeat(20_000)
            + "\r\n\r\n");
    assertThat(readUntilClosed(longHeaders, Duration.ofSeconds(5))).startsWith("HTTP/1.1 431 ");
    assertThat(server.admin.get(TestServer.ARTIFACTS).status()).isEqualTo(200);
  }

  /** The status line the server answers a request's head with, before any of its body. */
  private String statusOfHead(String method, String path, String headers, long length)
      throws IOException {
    Socket socket = connect();
    write(
        socket,
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + headers
            + "Content-Type: application/json\r\nContent-Length: "
            + length
            + "\r\n\r\n");
    socket.setSoTimeout(5000);
    return new java.io.BufferedReader(
            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  @Test
  @DisplayName("a JSON body over the route's limit is a 413 before any of it is sent")
  void oversizedBody() throws IOException {
    String admin = "Authorization: Bearer " + server.server.adminToken() + "\r\n";
    assertThat(statusOfHead("POST", TestServer.DEPLOYMENTS, admin, (1 << 20) + 1))
        .startsWith("HTTP/1.1 413 ");
    assertThat(statusOfHead("POST", AUTH, "", DeviceAuthApi.MAX_AUTH_REQUEST_BYTES + 1))
        .startsWith("HTTP/1.1 413 ");
    assertThat(statusOfHead("POST", TestServer.DEPLOYMENTS, "", 100)).startsWith("HTTP/1.1 401 ");
  }

  private static List<String> requestLog() throws IOException {
    return Files.readAllLines(Path.of("target/server.log"), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "a path with %0A is refused; one with quotes and spaces, and a crafted X-MEN-RequestID,"
          + " write one quoted log line; the request id is replaced")
  void logInjection() throws Exception {
    String marker = "inject" + System.nanoTime();
    Socket newline = connect();
    write(
        newline,
        "GET /api/"
            + marker
            + "%0A12:00:00.000%20INFO%20request_id=forged HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(readUntilClosed(newline, Duration.ofSeconds(5))).startsWith("HTTP/1.1 400 ");

    Socket quoted = connect();
    write(
        quoted,
        "GET /api/"
            + marker
            + "%22%20status=200%20caller=%22admin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "X-MEN-RequestID: forged status=200 caller=admin\r\nConnection: close\r\n\r\n");
    String reply = readUntilClosed(quoted, Duration.ofSeconds(5));
    assertThat(reply).startsWith("HTTP/1.1 404 ").doesNotContain("forged");

    Http.Reply tooLong =
        server.anonymous.send(
            server
                .anonymous
                .request("/api/devices/v1/x")
                .header("X-MEN-RequestID", "a".repeat(65)));
    assertThat(tooLong.header("X-MEN-RequestID").orElseThrow()).hasSize(36);
    Http.Reply plain =
        server.anonymous.send(
            server.anonymous.request("/api/devices/v1/x").header("X-MEN-RequestID", "abc-123.4"));
    assertThat(plain.header("X-MEN-RequestID")).contains("abc-123.4");

    List<String> lines = requestLog().stream().filter(l -> l.contains(marker)).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("path=\"/api/" + marker + "%22%20status=200%20caller=%22admin\" status=404")
        .contains("caller=\"-\"")
        .doesNotContain("forged");
  }

  @Test
  @DisplayName("log fields escape quotes, backslashes and every line breaking character")
  void logText() {
    assertThat(LogText.quote("a\"b\\c\nd\re\tf\u0000g\u2028h\u0085i"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0000g\\u2028h\\u0085i\"");
  }

  @Test
  @DisplayName("a client that goes away mid-download is logged at INFO, with no stack trace")
  void clientGoesAway() throws Exception {
    int from = requestLog().size();
    // 8 MiB of random payload: more than the socket buffers hold, so the server is still writing
    Path file = ArtifactFiles.write(directory, "app-1", "board", 8 << 20);
    String id = server.uploaded(file);
    String link =
        server.admin.get(TestServer.ARTIFACTS + "/" + id + "/download").json().path("uri").asText();
    URI download = URI.create(link);
    Socket socket = connect();
    socket.setReceiveBufferSize(4096);
    write(
        socket,
        "GET "
            + download.getRawPath()
            + "?"
            + download.getRawQuery()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    socket.getInputStream().read(new byte[16]);
    socket.setSoLinger(true, 0);
    socket.close();
    Thread.sleep(500);
    List<String> log = requestLog();
    log = log.subList(from, log.size());
    assertThat(log).noneMatch(l -> l.contains("ERROR") || l.contains("\tat "));
    assertThat(log)
        .anyMatch(
            l ->
                l.contains("INFO")
                    && l.contains("/download/" + id)
                    && l.contains("client gone before the reply"));
    assertThat(server.admin.get(TestServer.ARTIFACTS).status()).isEqualTo(200);
  }
}
