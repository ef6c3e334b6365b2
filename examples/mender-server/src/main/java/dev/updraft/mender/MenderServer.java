package dev.updraft.mender;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.core.engine.Updraft;
import dev.updraft.jdbc.JdbcStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: the engine over the JDBC store, Mender's device and management APIs over Jetty.
 * {@link #start} returns it listening; {@link #close} stops it.
 *
 * <p>What a client can hold is bounded ({@link ServerConfig.Limits}): Jetty reads request headers
 * and {@link Router} reads bodies as they arrive, on no thread, so slow clients hold connections
 * (at most {@code maxConnections}, each closed by the header, body or idle timeout) but not the
 * request threads that device polls need. Requests that find every thread busy wait in a bounded
 * queue; beyond it Jetty refuses them.
 */
public final class MenderServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MenderServer.class);

  private final Server http;
  private final ScheduledExecutorService sweeper;
  private final Optional<Webhooks> webhooks;
  private final HikariDataSource pool;
  private final URI url;
  private final Path adminTokenFile;
  private final String adminToken;

  private MenderServer(
      Server http,
      ScheduledExecutorService sweeper,
      Optional<Webhooks> webhooks,
      HikariDataSource pool,
      URI url,
      Path adminTokenFile,
      String adminToken) {
    this.http = http;
    this.sweeper = sweeper;
    this.webhooks = webhooks;
    this.pool = pool;
    this.url = url;
    this.adminTokenFile = adminTokenFile;
    this.adminToken = adminToken;
  }

  public static MenderServer start(ServerConfig config) throws IOException {
    Path data = Files.createDirectories(config.dataDirectory());
    Path artifacts = Files.createDirectories(data.resolve("artifacts"));
    byte[] secret = Base64.getDecoder().decode(secretIn(data.resolve("secret")));
    Path adminTokenFile = data.resolve("admin-token");
    String adminToken =
        config.adminToken().isPresent() ? config.adminToken().get() : secretIn(adminTokenFile);

    Optional<ArtifactSignatures> signatures = artifactKey(config); // refused before anything opens
    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl(
        config.jdbcUrl().orElseGet(() -> JdbcStore.embeddedH2Url(data.resolve("db"))));
    poolConfig.setMaximumPoolSize(Math.max(2, config.limits().threads() / 2));
    poolConfig.setPoolName("mender-server");
    HikariDataSource pool = new HikariDataSource(poolConfig);
    Updraft engine;
    AuthSets authSets;
    try {
      engine = Updraft.builder(new JdbcStore(pool)).build();
      ServerTables.migrate(pool);
      authSets = new AuthSets(pool);
    } catch (RuntimeException unavailable) {
      pool.close();
      throw unavailable;
    }
    Optional<Webhooks> webhooks = config.webhookUrl().map(url -> Webhooks.to(engine, url).start());
    Authority authority =
        new Authority(
            secret,
            adminToken,
            Clock.systemUTC(),
            config.deviceTokenLifetime(),
            config.linkLifetime(),
            authSets::holder);

    ServerConfig.Limits limits = config.limits();
    Router router = new Router(authority, limits.sizes().maxBodyBytes(), limits.timeouts().body());
    MenderArtifacts files =
        new MenderArtifacts(artifacts, limits.sizes().maxArtifactBytes(), signatures);
    new DeviceApi(engine, authority, files).routes(router);
    ArtifactsApi artifactsApi =
        new ArtifactsApi(
            engine, authority, files, new ArtifactDescriptions(pool), limits.maxUploads());
    artifactsApi.routes(router);
    DeviceAuthApi deviceAuth = new DeviceAuthApi(engine, authority, authSets, Clock.systemUTC());
    deviceAuth.routes(router);
    new InventoryApi(engine).routes(router);
    DeploymentsApi deployments = new DeploymentsApi(engine);
    deployments.routes(router);
    new UpdraftApi(engine, deployments, webhooks).routes(router);
    new Dashboard(engine, authority, deviceAuth, artifactsApi, deployments).routes(router);

    Server http;
    try {
      http = jetty(config, router);
      http.start();
    } catch (Exception failed) {
      pool.close();
      webhooks.ifPresent(Webhooks::close);
      throw new IOException("cannot start the HTTP server on " + config.port(), failed);
    }
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
    long every = config.sweepInterval().toMillis();
    Duration linkLifetime = config.linkLifetime();
    sweeper.scheduleWithFixedDelay(
        () -> sweep(engine, files, linkLifetime), every, every, TimeUnit.MILLISECONDS);
    int port = ((ServerConnector) http.getConnectors()[0]).getLocalPort();
    URI url =
        URI.create(
            (config.keystore().isPresent() ? "https" : "http")
                + "://"
                + config.host()
                + ":"
                + port);
    return new MenderServer(http, sweeper, webhooks, pool, url, adminTokenFile, adminToken);
  }

  /** Jetty, configured with the limits; not started. */
  private static Server jetty(ServerConfig config, Router router) throws IOException {
    ServerConfig.Limits limits = config.limits();
    // Jetty's acceptor and selector take threads of the pool too: 8 more than the handlers get.
    int threads = limits.threads() + 8;
    QueuedThreadPool pool =
        new QueuedThreadPool(threads, threads, 60_000, new ArrayBlockingQueue<>(4096));
    pool.setName("http");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.sizes().maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    HttpConnectionFactory plain = new HttpConnectionFactory(http);
    ServerConnector connector;
    if (config.keystore().isPresent()) {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(keyStore(config.keystore().get(), config.keystorePassword()));
      tls.setKeyStorePassword(config.keystorePassword());
      connector =
          new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), plain);
    } else {
      connector = new ServerConnector(server, 1, 1, plain);
    }
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(limits.timeouts().idle().toMillis());
    connector.setAcceptQueueSize(128);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.addBean(new HeaderDeadline(connector, limits.timeouts().header()));
    server.setHandler(router);
    server.setStopTimeout(5_000);
    return server;
  }

  /** Times out every overdue device deployment, a bounded batch at a time. */
  /**
   * Times out device deployments that went quiet, and deletes the bytes of direct uploads whose
   * links expired without a completion.
   */
  private static void sweep(Updraft engine, MenderArtifacts files, Duration linkLifetime) {
    try {
      int stale = files.sweepDirectUploads(Instant.now().minus(linkLifetime));
      if (stale > 0) {
        LOG.info("deleted {} direct uploads never completed", stale);
      }
    } catch (Throwable failed) { // an escape would end the sweeps, silently
      LOG.warn("direct upload sweep failed; next run retries", failed);
    }
    try {
      int batch = 500;
      int swept;
      do {
        swept = engine.sweepTimeouts(batch);
        if (swept > 0) {
          LOG.info("timed out {} device deployments", swept);
        }
      } while (swept == batch);
    } catch (Throwable failed) { // an escape would end the sweeps, silently
      LOG.warn("timeout sweep failed; next run retries", failed);
    }
  }

  /** The base URL devices and users call, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    return url;
  }

  /** Where the generated admin token is kept (unused when the configuration gave one). */
  public Path adminTokenFile() {
    return adminTokenFile;
  }

  public String adminToken() {
    return adminToken;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      http.stop();
    } catch (Exception failed) {
      LOG.warn("the HTTP server did not stop cleanly", failed);
    }
    webhooks.ifPresent(Webhooks::close);
    pool.close();
  }

  /** A random secret kept in {@code file}, made on first start (owner-readable only). */
  private static String secretIn(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getEncoder().encodeToString(random);
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
    return secret;
  }

  private static KeyStore keyStore(Path keystore, String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (GeneralSecurityException unusable) {
      throw new IOException("cannot use the TLS key store " + keystore, unusable);
    }
  }

  /** The public key artifacts must be signed with, when the configuration names one. */
  private static Optional<ArtifactSignatures> artifactKey(ServerConfig config) throws IOException {
    return config.artifactKey().isPresent()
        ? Optional.of(ArtifactSignatures.fromPem(config.artifactKey().get()))
        : Optional.empty();
  }
}
