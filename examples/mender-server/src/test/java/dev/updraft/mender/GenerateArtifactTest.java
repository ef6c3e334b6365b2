package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts generated from a file: single-file ones, checked as uploads are. */
class GenerateArtifactTest {
  @TempDir Path directory;
  private TestServer server;
  private Path file;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
    file = directory.resolve("app.conf");
    Files.writeString(file, "setting=1\n".repeat(100));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Map<String, List<String>> form() {
    Map<String, List<String>> form = new LinkedHashMap<>();
    form.put("name", List.of("config-1"));
    form.put("type", List.of("single_file"));
    form.put("device_types_compatible", List.of("board-a,board-b", "board-c"));
    form.put("args", List.of("{\"dest_dir\": \"/etc/app\"}"));
    form.put("description", List.of("generated"));
    return form;
  }

  @Test
  @Covers("POST /api/management/v1/deployments/artifacts/generate")
  void generated_isASingleFileArtifact() throws Exception {
    Http.Reply generated = server.generate(form(), file);
    assertThat(generated.status()).as(generated.text()).isEqualTo(201);
    JsonNode artifact = server.admin.get(TestServer.ARTIFACTS + "/" + generated.createdId()).json();
    assertThat(artifact.path("name").asText()).isEqualTo("config-1");
    assertThat(artifact.path("description").asText()).isEqualTo("generated");
    assertThat(artifact.path("device_types_compatible"))
        .extracting(JsonNode::asText)
        .containsExactly("board-a", "board-b", "board-c");
    assertThat(artifact.path("updates").get(0).path("type_info").path("type").asText())
        .isEqualTo("single-file");
    assertThat(artifact.path("artifact_provides").path("rootfs-image.single-file.version").asText())
        .isEqualTo("config-1");
    assertThat(artifact.path("clears_artifact_provides").get(0).asText())
        .isEqualTo("rootfs-image.single-file.*");
  }

  @Test
  void refused_naming_theField_leavingNothing() throws Exception {
    Map<String, List<String>> noDest = form();
    noDest.put("args", List.of("{}"));
    Map<String, List<String>> otherType = form();
    otherType.put("type", List.of("rootfs_image"));
    Map<String, List<String>> noTypes = form();
    noTypes.remove("device_types_compatible");
    Map<String, List<String>> badName = form();
    badName.put("args", List.of("{\"dest_dir\": \"/etc\", \"filename\": \"../passwd\"}"));
    Map<String, List<String>> badArgs = form();
    badArgs.put("args", List.of("[1, 2"));
    for (Map.Entry<Map<String, List<String>>, String> refused :
        Map.of(
                noDest, "args.dest_dir",
                otherType, "type",
                noTypes, "device_types_compatible",
                badName, "args.filename",
                badArgs, "")
            .entrySet()) {
      Http.Reply reply = server.generate(refused.getKey(), file);
      assertThat(reply.status()).as(reply.text()).isEqualTo(400);
      assertThat(reply.json().path("error").asText()).contains(refused.getValue());
    }
    assertThat(server.admin.get(TestServer.ARTIFACTS).json()).isEmpty();
    try (var left = Files.list(directory.resolve("server/artifacts"))) {
      assertThat(left).isEmpty();
    }
  }
}
