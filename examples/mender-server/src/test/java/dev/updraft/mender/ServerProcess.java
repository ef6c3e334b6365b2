package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server in a JVM of its own, as the README launches it, configured by environment variables,
 * so that a test can kill it with SIGKILL (no shutdown hook, no clean close) and start it again.
 */
final class ServerProcess {
  private final Process process;
  private final URI url;
  private final Http admin;

  private ServerProcess(Process process, URI url, Http admin) {
    this.process = process;
    this.url = url;
    this.admin = admin;
  }

  /**
   * Starts the server with {@code env} (which names its admin token) and waits until it listens.
   */
  static ServerProcess start(Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                MenderServerMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String prefix = "Updraft Mender server listening on ";
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        URI url = URI.create(line.substring(prefix.length()).trim());
        return new ServerProcess(
            process,
            url,
            new Http(url, Optional.of(env.get("UPDRAFT_ADMIN_TOKEN")), Optional.empty()));
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the server ended before it listened");
  }

  URI url() {
    return url;
  }

  /** The admin's API client. */
  Http admin() {
    return admin;
  }

  /** A client without a token, as a device starts. */
  Http anonymous() {
    return new Http(url, Optional.empty(), Optional.empty());
  }

  /** SIGKILL: no shutdown hook, no clean close; returns once the process is gone. */
  void sigkill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
