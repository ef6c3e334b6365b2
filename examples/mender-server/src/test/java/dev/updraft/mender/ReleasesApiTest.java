package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifact and release listings (paged, filtered, sorted), their summaries, and deletion. */
class ReleasesApiTest {
  private static final String V1 = "/api/management/v1/deployments";
  private static final String V2 = "/api/management/v2/deployments";

  @TempDir Path directory;
  private TestServer server;
  private long bytes;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
    for (String[] artifact :
        new String[][] {{"app-1", "board-a"}, {"app-2", "board-b"}, {"app-3", "board-a"}}) {
      Path file = ArtifactFiles.write(directory, artifact[0], artifact[1]);
      bytes += Files.size(file);
      server.uploaded(file);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<String> names(JsonNode list) {
    return java.util.stream.StreamSupport.stream(list.spliterator(), false)
        .map(a -> a.path("name").asText())
        .toList();
  }

  @Test
  @Covers({
    "GET /api/management/v1/deployments/artifacts/list",
    "GET /api/management/v2/deployments/artifacts",
    "GET /api/management/v1/deployments/limits/storage"
  })
  void artifacts_pagedFilteredSorted() {
    Http.Reply page = server.admin.get(V1 + "/artifacts/list?sort=name:desc&per_page=2&page=2");
    assertThat(page.header("X-Total-Count")).contains("3");
    assertThat(names(page.json())).containsExactly("app-1");
    assertThat(page.header("Link").orElseThrow()).contains("rel=\"prev\"").doesNotContain("next");
    assertThat(names(server.admin.get(V1 + "/artifacts/list").json()))
        .containsExactly("app-1", "app-2", "app-3");
    assertThat(names(server.admin.get(V1 + "/artifacts/list?device_type=board-a").json()))
        .containsExactly("app-1", "app-3");
    assertThat(names(server.admin.get(V1 + "/artifacts/list?name=app-").json())).hasSize(3);
    assertThat(names(server.admin.get(V1 + "/artifacts?device_type=board-b").json()))
        .as("v1's unpaged listing filters too")
        .containsExactly("app-2");
    assertThat(server.admin.get(V1 + "/artifacts?name=app-3").json()).hasSize(1);
    assertThat(names(server.admin.get(V2 + "/artifacts?name=app-1&name=app-3").json()))
        .containsExactly("app-1", "app-3");
    assertThat(names(server.admin.get(V2 + "/artifacts?name=app-").json()))
        .as("v2 names match exactly")
        .isEmpty();
    Http.Reply badSort = server.admin.get(V1 + "/artifacts/list?sort=size:asc");
    assertThat(badSort.status()).isEqualTo(400);
    assertThat(badSort.json().path("error").asText()).contains("sort", "size:asc");

    JsonNode storage = server.admin.get(V1 + "/limits/storage").json();
    assertThat(storage.path("usage").asLong()).isEqualTo(bytes);
    assertThat(storage.path("limit").asLong()).as("no limit").isZero();
  }

  @Test
  @Covers({
    "GET /api/management/v1/deployments/deployments/releases",
    "GET /api/management/v1/deployments/deployments/releases/list",
    "GET /api/management/v2/deployments/deployments/releases",
    "GET /api/management/v2/deployments/releases/all/tags",
    "GET /api/management/v2/deployments/releases/all/types"
  })
  void releases_pagedFilteredSorted_andSummarised() {
    assertThat(
            server
                .admin
                .put(V2 + "/deployments/releases/app-2/tags", List.of("EU", "beta"))
                .status())
        .isEqualTo(204);
    assertThat(server.admin.put(V2 + "/deployments/releases/app-3/tags", List.of("eu")).status())
        .isEqualTo(204);
    Http.Reply page = server.admin.get(V1 + "/deployments/releases/list?sort=name:desc&per_page=2");
    assertThat(page.header("X-Total-Count")).contains("3");
    assertThat(names(page.json())).containsExactly("app-3", "app-2");
    assertThat(names(server.admin.get(V2 + "/deployments/releases?tag=beta&tag=nope").json()))
        .containsExactly("app-2");
    assertThat(names(server.admin.get(V2 + "/deployments/releases?tag=eu&sort=tags:desc").json()))
        .containsExactly("app-3", "app-2");
    assertThat(names(server.admin.get(V2 + "/deployments/releases?device_type=board-b").json()))
        .containsExactly("app-2");
    assertThat(server.admin.get(V2 + "/deployments/releases?update_type=single-file").json())
        .hasSize(3);
    assertThat(server.admin.get(V2 + "/deployments/releases?update_type=rootfs-image").json())
        .isEmpty();
    assertThat(names(server.admin.get(V1 + "/deployments/releases?name=app-2").json()))
        .as("v1's unpaged listing")
        .containsExactly("app-2");
    assertThat(server.admin.get(V2 + "/deployments/releases?sort=name:up").status()).isEqualTo(400);

    assertThat(server.admin.get(V2 + "/releases/all/tags").json().toString())
        .isEqualTo("[\"beta\",\"eu\"]");
    assertThat(server.admin.get(V2 + "/releases/all/types").json().toString())
        .isEqualTo("[\"single-file\"]");
  }

  @Test
  @Covers("PUT /api/management/v1/deployments/artifacts/{id}")
  void description_uploadedEditedFiltered_untilDeployed() throws Exception {
    Http.Reply uploaded =
        server.upload(ArtifactFiles.write(directory, "app-4", "board-a"), "nightly build");
    assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
    String id = uploaded.createdId();
    String artifact = V1 + "/artifacts/" + id;
    assertThat(server.admin.get(artifact).json().path("description").asText())
        .isEqualTo("nightly build");
    assertThat(server.admin.put(artifact, Map.of("description", "release candidate")).status())
        .isEqualTo(204);
    assertThat(server.admin.get(artifact).json().path("description").asText())
        .isEqualTo("release candidate");
    assertThat(names(server.admin.get(V1 + "/artifacts/list?description=candidate").json()))
        .containsExactly("app-4");
    assertThat(server.admin.put(artifact, Map.of("description", "x".repeat(5000))).status())
        .isEqualTo(400);
    assertThat(server.admin.put(V1 + "/artifacts/nope", Map.of("description", "x")).status())
        .isEqualTo(404);

    String device = server.acceptedDevice("bb:00:00:00:09:02");
    server.abort(server.deployTo("d", "app-4", List.of(device)));
    Http.Reply used = server.admin.put(artifact, Map.of("description", "changed"));
    assertThat(used.status())
        .as("a release once deployed keeps its artifacts' descriptions")
        .isEqualTo(422);
    assertThat(server.admin.get(artifact).json().path("description").asText())
        .isEqualTo("release candidate");
  }

  @Test
  @Covers("DELETE /api/management/v2/deployments/deployments/releases")
  void deleteReleases_refusedWhileDeployed_thenGone() throws Exception {
    SimulatedDevice device = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:09:01");
    device.authenticate(server.anonymous);
    String id = server.deviceWithMac(device.mac);
    server.accept(id);
    String deployment = server.deployTo("d", "app-1", List.of(id));

    Http.Reply inUse = server.admin.delete(V2 + "/deployments/releases?name=app-1&name=app-2");
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().path("active_deployments").toString())
        .isEqualTo("[\"" + deployment + "\"]");
    assertThat(server.admin.get(V1 + "/artifacts/list").header("X-Total-Count")).contains("3");

    assertThat(server.admin.delete(V2 + "/deployments/releases").status()).isEqualTo(400);
    server.abort(deployment);
    assertThat(
            server
                .admin
                .delete(V2 + "/deployments/releases?name=app-1&name=app-2&name=none")
                .status())
        .isEqualTo(204);
    assertThat(names(server.admin.get(V1 + "/artifacts/list").json())).containsExactly("app-3");
    try (var files = Files.list(directory.resolve("server/artifacts"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".mender"))).hasSize(1);
    }
  }
}
