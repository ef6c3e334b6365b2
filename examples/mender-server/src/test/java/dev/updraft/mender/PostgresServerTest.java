package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server pointed at PostgreSQL by configuration ({@code UPDRAFT_JDBC_URL} in production). */
@Tag("postgres")
class PostgresServerTest {
  @TempDir Path directory;

  @Test
  @DisplayName("on PostgreSQL a device is admitted, offered a deployment, and finishes it")
  void deploymentOnPostgres() throws Exception {
    String url = TestServer.postgresUrl();
    try (TestServer server = new TestServer(ServerConfig.defaults(directory).withJdbcUrl(url))) {
      String release = "pg-" + UUID.randomUUID();
      server.uploaded(ArtifactFiles.write(directory, release, "board"));
      SimulatedDevice device = new SimulatedDevice(KeyKind.EC, "cc:" + UUID.randomUUID());
      Http api = server.admitted(device);
      String id = server.deviceWithMac(device.mac);
      String deployment = server.deployTo(release, release, List.of(id));
      Http.Reply next =
          api.post(
              "/api/devices/v2/deployments/device/deployments/next",
              Map.of("device_provides", Map.of("device_type", "board", "artifact_name", "old")));
      assertThat(next.json().path("id").asText()).isEqualTo(deployment);
      String status = "/api/devices/v1/deployments/device/deployments/" + deployment + "/status";
      for (String s : List.of("downloading", "installing", "success")) {
        assertThat(api.put(status, Map.of("status", s)).status()).isEqualTo(204);
      }
      JsonNode shown = server.deployment(deployment);
      assertThat(shown.path("status").asText()).isEqualTo("finished");
      assertThat(shown.path("statistics").path("status").path("success").asLong()).isEqualTo(1);
    }
  }
}
