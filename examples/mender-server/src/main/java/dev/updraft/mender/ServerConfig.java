package dev.updraft.mender;

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
    Duration deviceTokenLifetime,
    Duration linkLifetime,
    long maxBodyBytes,
    long maxArtifactBytes,
    int threads) {

  /** The defaults, with the data kept in {@code dataDirectory}. */
  public static ServerConfig defaults(Path dataDirectory) {
    return new ServerConfig(
        "127.0.0.1",
        8080,
        dataDirectory,
        Optional.empty(),
        Optional.empty(),
        "",
        Optional.empty(),
        Duration.ofDays(7),
        Duration.ofHours(1),
        1 << 20,
        4L << 30,
        32);
  }

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    ServerConfig d = defaults(Path.of(env.getOrDefault("UPDRAFT_DATA_DIR", "mender-data")));
    return new ServerConfig(
        env.getOrDefault("UPDRAFT_HOST", d.host()),
        Integer.parseInt(env.getOrDefault("UPDRAFT_PORT", String.valueOf(d.port()))),
        d.dataDirectory(),
        Optional.ofNullable(env.get("UPDRAFT_JDBC_URL")),
        Optional.ofNullable(env.get("UPDRAFT_TLS_KEYSTORE")).map(Path::of),
        env.getOrDefault("UPDRAFT_TLS_PASSWORD", ""),
        Optional.ofNullable(env.get("UPDRAFT_ADMIN_TOKEN")),
        d.deviceTokenLifetime(),
        d.linkLifetime(),
        d.maxBodyBytes(),
        d.maxArtifactBytes(),
        d.threads());
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        jdbcUrl,
        keystore,
        keystorePassword,
        adminToken,
        deviceTokenLifetime,
        linkLifetime,
        maxBodyBytes,
        maxArtifactBytes,
        threads);
  }

  public ServerConfig withJdbcUrl(String url) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        Optional.of(url),
        keystore,
        keystorePassword,
        adminToken,
        deviceTokenLifetime,
        linkLifetime,
        maxBodyBytes,
        maxArtifactBytes,
        threads);
  }

  public ServerConfig withTls(Path keystore, String password) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        jdbcUrl,
        Optional.of(keystore),
        password,
        adminToken,
        deviceTokenLifetime,
        linkLifetime,
        maxBodyBytes,
        maxArtifactBytes,
        threads);
  }

  public ServerConfig withLifetimes(Duration deviceTokenLifetime, Duration linkLifetime) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        jdbcUrl,
        keystore,
        keystorePassword,
        adminToken,
        deviceTokenLifetime,
        linkLifetime,
        maxBodyBytes,
        maxArtifactBytes,
        threads);
  }

  public ServerConfig withLimits(long maxBodyBytes, long maxArtifactBytes) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        jdbcUrl,
        keystore,
        keystorePassword,
        adminToken,
        deviceTokenLifetime,
        linkLifetime,
        maxBodyBytes,
        maxArtifactBytes,
        threads);
  }
}
