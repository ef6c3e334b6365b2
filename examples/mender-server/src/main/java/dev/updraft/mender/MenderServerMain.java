package dev.updraft.mender;

import java.io.IOException;

/**
 * Starts the server from {@code UPDRAFT_*} environment variables (see {@link ServerConfig}) and
 * runs until the process is stopped.
 */
public final class MenderServerMain {
  private MenderServerMain() {}

  public static void main(String[] args) throws IOException {
    ServerConfig config = ServerConfig.fromEnvironment(System.getenv());
    MenderServer server = MenderServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mender-server-stop"));
    System.out.println("Updraft Mender server listening on " + server.url());
    System.out.println(
        config.adminToken().isPresent()
            ? "Admin token: the one UPDRAFT_ADMIN_TOKEN gave"
            : "Admin token: in " + server.adminTokenFile().toAbsolutePath());
    System.out.println(
        "Database: "
            + config.jdbcUrl().orElse("embedded H2 in " + config.dataDirectory().toAbsolutePath()));
  }
}
