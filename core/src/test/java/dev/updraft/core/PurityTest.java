package dev.updraft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled classes with {@code jdeps} and checks what they refer to: the domain packages
 * ({@code device}, {@code release}, {@code group}, {@code deployment}, {@code rollout}) are pure
 * (no storage SPI, no engine, no I/O, no threads, no clock, no logging), as ARCHITECTURE.md
 * requires; only the {@code engine} package touches the SPI.
 */
class PurityTest {
  private static final Path CLASSES = Path.of("target", "classes");

  /** Every class → class dependency of core's main classes, as {@code from -> to}. */
  private static List<String[]> dependencies;

  @BeforeAll
  static void readDependencies() {
    assertThat(Files.isDirectory(CLASSES.resolve("dev/updraft/core")))
        .as("compiled classes")
        .isTrue();
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int exit =
        jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", CLASSES.toString());
    assertThat(exit).as(out.toString()).isZero();
    dependencies =
        out.toString()
            .lines()
            .map(String::trim)
            .filter(line -> line.contains(" -> "))
            .map(line -> line.split("\\s+"))
            .filter(parts -> parts.length >= 3 && parts[0].startsWith("dev.updraft."))
            .map(parts -> new String[] {parts[0], parts[2]})
            .toList();
    assertThat(dependencies).as("jdeps found dependencies").hasSizeGreaterThan(100);
  }

  @Test
  @DisplayName("core depends only on the JDK, the SPI and its declared libraries")
  void core_dependsOnlyOnJdkAndDeclaredLibraries() {
    Set<String> outside = new TreeSet<>();
    for (String[] dependency : dependencies) {
      String target = dependency[1];
      boolean allowed =
          Stream.of(
                  "java.",
                  "dev.updraft.core.",
                  "com.google.common.",
                  "com.google.re2j.",
                  "org.immutables.",
                  "org.jspecify.",
                  "dev.updraft.spi.",
                  "org.slf4j.")
              .anyMatch(target::startsWith);
      if (!allowed) {
        outside.add(dependency[0] + " -> " + target);
      }
    }
    assertThat(outside).isEmpty();
  }

  @Test
  @DisplayName(
      "the domain depends on nothing of storage, does no I/O, starts no threads, reads no clock")
  void domain_isPure() {
    Set<String> impure = new TreeSet<>();
    for (String[] dependency : dependencies) {
      if (dependency[0].startsWith("dev.updraft.core.engine.")) {
        continue;
      }
      String target = dependency[1];
      boolean forbidden =
          Stream.of(
                  "java.io.",
                  "java.nio.file.",
                  "java.net.http.",
                  "java.net.Socket",
                  "java.net.URL",
                  "java.sql.",
                  "java.util.concurrent.",
                  "java.lang.Thread",
                  "java.time.Clock",
                  "org.slf4j.",
                  "dev.updraft.spi.",
                  "dev.updraft.core.engine.")
              .anyMatch(target::startsWith);
      if (forbidden) {
        impure.add(dependency[0] + " -> " + target);
      }
    }
    assertThat(impure).isEmpty();
  }
}
