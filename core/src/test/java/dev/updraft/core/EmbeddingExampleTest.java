package dev.updraft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.Updraft;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding example is one text in three places: the javadoc overview, the README and the host
 * project (examples/host-project, a separate build over the BOM). This test holds the three equal,
 * then compiles the overview's text with the host's imports and runs it.
 */
class EmbeddingExampleTest {
  private static final Path OVERVIEW = Path.of("src/main/javadoc/overview.html");
  private static final Path README = Path.of("../README.md");
  private static final Path HOST =
      Path.of("../examples/host-project/src/main/java/com/example/host/Embedding.java");

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("%s in the text", start).isNotNegative();
    from += start.length();
    int to = text.indexOf(end, from);
    assertThat(to).as("%s in the text", end).isNotNegative();
    return text.substring(from, to);
  }

  private static String overviewExample() throws IOException {
    return between(Files.readString(OVERVIEW), "<pre>{@code\n", "}</pre>");
  }

  private static String hostExample() throws IOException {
    String indented =
        between(Files.readString(HOST), "    // example:start\n", "    // example:end");
    return indented.lines().map(l -> l.isEmpty() ? l : l.substring(4)).collect(joinLines());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joinLines() {
    return Collectors.joining("\n", "", "\n");
  }

  @Test
  @DisplayName("the overview, the README and the host project show the same example")
  void oneExample() throws IOException {
    String example = overviewExample();
    assertThat(Files.readString(README)).contains("```java\n" + example + "```\n");
    assertThat(hostExample()).isEqualTo(example);
  }

  @Test
  @DisplayName("the overview's example compiles with the host's imports and does what it says")
  void compilesAndRuns(@TempDir Path classes) throws Exception {
    String imports =
        Files.readString(HOST).lines().filter(l -> l.startsWith("import ")).collect(joinLines());
    Path source = classes.resolve("Example.java");
    Files.writeString(
        source,
        imports
            + "public final class Example {\n  public static Updraft run() {\n"
            + overviewExample()
            + "    return updraft;\n  }\n}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            "-Xlint:all,-processing",
            "-Werror",
            "-proc:none",
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            source.toString());
    assertThat(status).as("javac's exit status").isZero();

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Updraft updraft = (Updraft) loader.loadClass("Example").getMethod("run").invoke(null);
      List<dev.updraft.core.deployment.Deployment> all =
          updraft.deployments(PageRequest.first(10)).items();
      assertThat(all).hasSize(1);
      assertThat(updraft.deploymentStatus(all.get(0).id())).isEqualTo(DeploymentStatus.FINISHED);
      assertThat(updraft.statistics(all.get(0).id()).count(DeviceDeploymentStatus.SUCCESS))
          .isEqualTo(1);
    }
  }
}
