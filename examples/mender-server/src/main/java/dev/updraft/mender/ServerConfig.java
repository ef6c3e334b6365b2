package dev.updraft.mender;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the server runs. {@link #fromEnvironment} reads it from {@code UPDRAFT_*} environment
 * variables; every setting has a default that starts a working server with no setup.
 *
 * @param host the address to listen on ({@code UPDRAFT_HOST}, default {@code 127.0.0.1})
 * @param port the port ({@code UPDRAFT_PORT}, default 8080; 0 picks a free one)
 * @param dataDirectory database, artifacts, secrets ({@code UPDRAFT_DATA_DIR}, default {@code
 *     mender-data})
 * @param jdbcUrl the database ({@code UPDRAFT_JDBC_URL}, default an embedded H2 file database in
 *     the data directory); a PostgreSQL URL carries its user and password
 * @param keystore a PKCS#12 key store with the TLS key and certificate ({@code
 *     UPDRAFT_TLS_KEYSTORE}); present means HTTPS
 * @param keystorePassword its password ({@code UPDRAFT_TLS_PASSWORD})
 * @param adminToken the management API's bearer token ({@code UPDRAFT_ADMIN_TOKEN}, default one
 *     generated once and kept in {@code admin-token} in the data directory)
 * @param webhookUrl where events are POSTed as webhooks ({@code UPDRAFT_WEBHOOK_URL}; none by
 *     default)
 * @param sweepInterval how often overdue device deployments are timed out ({@code
 *     UPDRAFT_SWEEP_SECONDS}, default 60)
 * @param deviceTokenLifetime how long a device token is valid
 * @param linkLifetime how long a download link is valid ({@code UPDRAFT_LINK_SECONDS}, default 24
 *     hours, Mender's): a client resumes a broken download with the link it was given, so a
 *     download, or an outage, must end within it
 * @param artifactKey a PEM public key ({@code UPDRAFT_ARTIFACT_KEY}): when given, only artifacts
 *     signed with its private key ({@code mender-artifact sign}) are accepted
 * @param limits what a client may take of the server: sizes, timeouts, connections, threads
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDirectory,
    Optional<String> jdbcUrl,
    Optional<Path> keystore,
    String keystorePassword,
    Optional<String> adminToken,
    Optional<URI> webhookUrl,
    Duration sweepInterval,
    Duration deviceTokenLifetime,
    Duration linkLifetime,
    Optional<Path> artifactKey,
    Limits limits) {

  /**
   * What a client may take of the server. Every read of a request is bounded in size and in time,
   * so that slow, abandoned or oversized requests cost a bounded share of it.
   *
   * @param sizes the largest heads and bodies
   * @param timeouts how long a request may take to arrive, and a connection to stay silent
   * @param maxConnections open connections at most ({@code UPDRAFT_MAX_CONNECTIONS}, default
   *     4,096); beyond it the server stops accepting until one closes
   * @param maxUploads artifact uploads in progress at once (2): 503 beyond, so that uploads cannot
   *     take the request threads
   * @param threads request threads (32)
   */
  public record Limits(
      Sizes sizes, Timeouts timeouts, int maxConnections, int maxUploads, int threads) {
    /** The defaults given here and on {@link Sizes} and {@link Timeouts}. */
    public static Limits defaults() {
      return new Limits(
          new Sizes(8 * 1024, 1 << 20, 4L << 30),
          new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30)),
          4096,
          2,
          32);
    }

    public Limits withSizes(Sizes sizes) {
      return new Limits(sizes, timeouts, maxConnections, maxUploads, threads);
    }

    public Limits withTimeouts(Timeouts timeouts) {
      return new Limits(sizes, timeouts, maxConnections, maxUploads, threads);
    }

    public Limits withMaxConnections(int maxConnections) {
      return new Limits(sizes, timeouts, maxConnections, maxUploads, threads);
    }
  }

  /**
   * The largest heads and bodies.
   *
   * @param maxHeaderBytes the request line and headers together (8 KiB): 414 or 431 beyond
   * @param maxBodyBytes a JSON request body (1 MiB; 64 KiB for device auth requests, which anyone
   *     may send): 413 beyond
   * @param maxArtifactBytes an artifact upload (4 GiB): 413 beyond
   */
  public record Sizes(int maxHeaderBytes, long maxBodyBytes, long maxArtifactBytes) {}

  /**
   * How long a request may take to arrive, and a connection to stay silent.
   *
   * @param header a request's line and headers must arrive within this (10 s) once begun; the
   *     connection is closed otherwise
   * @param body a JSON body must arrive whole within this (10 s): 408 and the connection closed
   *     otherwise
   * @param idle a connection with no bytes in either direction for this long is closed (30 s); it
   *     also bounds each wait of an upload or a download
   */
  public record Timeouts(Duration header, Duration body, Duration idle) {}

  /** The defaults, with the data kept in {@code dataDirectory}. */
  public static ServerConfig defaults(Path dataDirectory) {
    return new Builder(dataDirectory).build();
  }

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Builder config = new Builder(Path.of(env.getOrDefault("UPDRAFT_DATA_DIR", "mender-data")));
    Optional.ofNullable(env.get("UPDRAFT_HOST")).ifPresent(h -> config.host = h);
    Optional.ofNullable(env.get("UPDRAFT_PORT")).ifPresent(p -> config.port = Integer.parseInt(p));
    config.jdbcUrl = Optional.ofNullable(env.get("UPDRAFT_JDBC_URL"));
    config.keystore = Optional.ofNullable(env.get("UPDRAFT_TLS_KEYSTORE")).map(Path::of);
    config.keystorePassword = env.getOrDefault("UPDRAFT_TLS_PASSWORD", "");
    config.adminToken = Optional.ofNullable(env.get("UPDRAFT_ADMIN_TOKEN"));
    config.webhookUrl = Optional.ofNullable(env.get("UPDRAFT_WEBHOOK_URL")).map(URI::create);
    seconds(env, "UPDRAFT_SWEEP_SECONDS").ifPresent(s -> config.sweepInterval = s);
    seconds(env, "UPDRAFT_LINK_SECONDS").ifPresent(s -> config.linkLifetime = s);
    config.artifactKey = Optional.ofNullable(env.get("UPDRAFT_ARTIFACT_KEY")).map(Path::of);
    Optional.ofNullable(env.get("UPDRAFT_MAX_CONNECTIONS"))
        .ifPresent(n -> config.limits = config.limits.withMaxConnections(Integer.parseInt(n)));
    return config.build();
  }

  /**
   * The duration in whole seconds that variable {@code name} gives, if set.
   *
   * @throws IllegalArgumentException naming the variable and its value when that is not a whole
   *     number of seconds from 1
   */
  private static Optional<Duration> seconds(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null) {
      return Optional.empty();
    }
    long seconds;
    try {
      seconds = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds < 1) {
      throw new IllegalArgumentException(
          name + ": expected a whole number of seconds from 1, got \"" + value + "\"");
    }
    return Optional.of(Duration.ofSeconds(seconds));
  }

  public ServerConfig withPort(int port) {
    Builder config = toBuilder();
    config.port = port;
    return config.build();
  }

  public ServerConfig withJdbcUrl(String url) {
    Builder config = toBuilder();
    config.jdbcUrl = Optional.of(url);
    return config.build();
  }

  public ServerConfig withTls(Path keystore, String password) {
    Builder config = toBuilder();
    config.keystore = Optional.of(keystore);
    config.keystorePassword = password;
    return config.build();
  }

  public ServerConfig withWebhooks(URI url) {
    Builder config = toBuilder();
    config.webhookUrl = Optional.of(url);
    return config.build();
  }

  public ServerConfig withSweepInterval(Duration interval) {
    Builder config = toBuilder();
    config.sweepInterval = interval;
    return config.build();
  }

  public ServerConfig withLifetimes(Duration deviceTokenLifetime, Duration linkLifetime) {
    Builder config = toBuilder();
    config.deviceTokenLifetime = deviceTokenLifetime;
    config.linkLifetime = linkLifetime;
    return config.build();
  }

  public ServerConfig withLimits(Limits limits) {
    Builder config = toBuilder();
    config.limits = limits;
    return config.build();
  }

  public ServerConfig withArtifactKey(Path publicKey) {
    Builder config = toBuilder();
    config.artifactKey = Optional.of(publicKey);
    return config.build();
  }

  private Builder toBuilder() {
    Builder config = new Builder(dataDirectory);
    config.host = host;
    config.port = port;
    config.jdbcUrl = jdbcUrl;
    config.keystore = keystore;
    config.keystorePassword = keystorePassword;
    config.adminToken = adminToken;
    config.webhookUrl = webhookUrl;
    config.sweepInterval = sweepInterval;
    config.deviceTokenLifetime = deviceTokenLifetime;
    config.linkLifetime = linkLifetime;
    config.artifactKey = artifactKey;
    config.limits = limits;
    return config;
  }

  /** The settings being made, starting from the defaults. */
  private static final class Builder {
    final Path dataDirectory;
    String host = "127.0.0.1";
    int port = 8080;
    Optional<String> jdbcUrl = Optional.empty();
    Optional<Path> keystore = Optional.empty();
    String keystorePassword = "";
    Optional<String> adminToken = Optional.empty();
    Optional<URI> webhookUrl = Optional.empty();
    Duration sweepInterval = Duration.ofSeconds(60);
    Duration deviceTokenLifetime = Duration.ofDays(7);
    Duration linkLifetime = Duration.ofHours(24);
    Optional<Path> artifactKey = Optional.empty();
    Limits limits = Limits.defaults();

    Builder(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
    }

    ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDirectory,
          jdbcUrl,
          keystore,
          keystorePassword,
          adminToken,
          webhookUrl,
          sweepInterval,
          deviceTokenLifetime,
          linkLifetime,
          artifactKey,
          limits);
    }
  }
}
