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
 * @param linkLifetime how long a download link is valid
 * @param maxBodyBytes the largest JSON request body
 * @param maxArtifactBytes the largest artifact upload
 * @param threads request threads
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
    long maxBodyBytes,
    long maxArtifactBytes,
    int threads) {

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
    Optional.ofNullable(env.get("UPDRAFT_SWEEP_SECONDS"))
        .ifPresent(s -> config.sweepInterval = Duration.ofSeconds(Long.parseLong(s)));
    return config.build();
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

  public ServerConfig withLimits(long maxBodyBytes, long maxArtifactBytes) {
    Builder config = toBuilder();
    config.maxBodyBytes = maxBodyBytes;
    config.maxArtifactBytes = maxArtifactBytes;
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
    config.maxBodyBytes = maxBodyBytes;
    config.maxArtifactBytes = maxArtifactBytes;
    config.threads = threads;
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
    Duration linkLifetime = Duration.ofHours(1);
    long maxBodyBytes = 1 << 20;
    long maxArtifactBytes = 4L << 30;
    int threads = 32;

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
          maxBodyBytes,
          maxArtifactBytes,
          threads);
    }
  }
}
