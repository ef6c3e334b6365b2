package dev.updraft.mender;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.core.device.Device;
import dev.updraft.core.engine.Updraft;
import dev.updraft.jdbc.JdbcStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: the engine over the JDBC store, Mender's device and management APIs over the JDK's
 * HTTP server. {@link #start} returns it listening; {@link #close} stops it.
 */
public final class MenderServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MenderServer.class);

  private final HttpServer http;
  private final ExecutorService threads;
  private final ScheduledExecutorService sweeper;
  private final Optional<Webhooks> webhooks;
  private final HikariDataSource pool;
  private final URI url;
  private final Path adminTokenFile;
  private final String adminToken;

  private MenderServer(
      HttpServer http,
      ExecutorService threads,
      ScheduledExecutorService sweeper,
      Optional<Webhooks> webhooks,
      HikariDataSource pool,
      URI url,
      Path adminTokenFile,
      String adminToken) {
    this.http = http;
    this.threads = threads;
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

    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl(
        config.jdbcUrl().orElseGet(() -> JdbcStore.embeddedH2Url(data.resolve("db"))));
    poolConfig.setMaximumPoolSize(Math.max(2, config.threads() / 2));
    poolConfig.setPoolName("mender-server");
    HikariDataSource pool = new HikariDataSource(poolConfig);
    Optional<Webhooks> webhooks =
        config.webhookUrl().map(url -> new Webhooks(url, 10_000, 6, Duration.ofMillis(500)));
    Updraft engine;
    try {
      Updraft.Builder builder = Updraft.builder(new JdbcStore(pool));
      webhooks.ifPresent(builder::listener);
      engine = builder.build();
    } catch (RuntimeException unavailable) {
      pool.close();
      webhooks.ifPresent(Webhooks::close);
      throw unavailable;
    }
    Authority authority =
        new Authority(
            secret,
            adminToken,
            Clock.systemUTC(),
            config.deviceTokenLifetime(),
            config.linkLifetime(),
            id -> engine.device(id).map(Device::isAccepted).orElse(false));

    boolean tls = config.keystore().isPresent();
    Router router = new Router(authority, config.maxBodyBytes());
    new DeviceApi(engine, authority, artifacts).routes(router);
    new ArtifactsApi(engine, authority, artifacts, config.maxArtifactBytes()).routes(router);
    new InventoryApi(engine).routes(router);
    DeploymentsApi deployments = new DeploymentsApi(engine);
    deployments.routes(router);
    new UpdraftApi(engine, deployments).routes(router);

    InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
    // Replies go out with TCP_NODELAY: the JDK's server writes a reply's headers and its body
    // apart, and with Nagle's algorithm the body then waited for the client's delayed ACK (40 ms
    // on Linux) on every reply with a body, a device's next-deployment offer among them. The JDK
    // reads the property once, when its first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http;
    if (tls) {
      HttpsServer https = HttpsServer.create(address, 128);
      https.setHttpsConfigurator(
          new HttpsConfigurator(sslContext(config.keystore().get(), config.keystorePassword())));
      http = https;
    } else {
      http = HttpServer.create(address, 128);
    }
    ExecutorService threads = Executors.newFixedThreadPool(config.threads());
    http.setExecutor(threads);
    http.createContext("/", router);
    http.start();
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
    long every = config.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(() -> sweep(engine), every, every, TimeUnit.MILLISECONDS);
    URI url =
        URI.create(
            (tls ? "https" : "http") + "://" + config.host() + ":" + http.getAddress().getPort());
    return new MenderServer(
        http, threads, sweeper, webhooks, pool, url, adminTokenFile, adminToken);
  }

  /** Times out every overdue device deployment, a bounded batch at a time. */
  private static void sweep(Updraft engine) {
    try {
      int batch = 500;
      int swept;
      do {
        swept = engine.sweepTimeouts(batch);
        if (swept > 0) {
          LOG.info("timed out {} device deployments", swept);
        }
      } while (swept == batch);
    } catch (RuntimeException failed) {
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
    http.stop(0);
    threads.shutdown();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
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

  private static SSLContext sslContext(Path keystore, String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException unusable) {
      throw new IOException("cannot use the TLS key store " + keystore, unusable);
    }
  }
}
