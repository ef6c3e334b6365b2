package dev.updraft.mender;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Starts the server from {@code UPDRAFT_*} environment variables (see {@link ServerConfig}) and
 * runs until the process is stopped.
 *
 * <p>Launch it with a bounded heap and {@code -XX:+ExitOnOutOfMemoryError} (the README's command
 * does): after an {@code OutOfMemoryError} any thread, the database's among them, may have died
 * half-way, so the process ends and its supervisor starts a fresh one, rather than listening on
 * without answering.
 */
public final class MenderServerMain {
  private MenderServerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, failure) ->
            LoggerFactory.getLogger(MenderServerMain.class)
                .error("thread {} died", thread.getName(), failure));
    ServerConfig config = ServerConfig.fromEnvironment(System.getenv());
    MenderServer server = MenderServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "mender-server-stop"));
    System.out.println("Updraft Mender server listening on " + server.url());
    System.out.println(
        config.adminToken().isPresent()
            ? "Admin token: the one UPDRAFT_ADMIN_TOKEN gave"
            : "Admin token: in " + server.adminTokenFile().toAbsolutePath());
    System.out.println(
        "Database: "
            + config
                .jdbcUrl()
                .map(url -> url.replaceAll("password=[^&;]*", "password=***"))
                .orElse("embedded H2 in " + config.dataDirectory().toAbsolutePath()));
    stopped.await();
  }
}
