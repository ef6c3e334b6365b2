package dev.updraft.mender;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Mender client ({@code mender daemon}, Debian's mender-client 3.4) against a test server.
 * The client reads some fixed paths ({@code /etc/mender/artifact_info}, the identity script, the
 * update modules): the daemon runs inside {@code unshare -m} with private copies bind-mounted over
 * them, so nothing global changes. Its key is made here, which saves the client a second of RSA key
 * generation.
 */
final class RealClient implements AutoCloseable {
  static final String MODULES = "/usr/share/mender/modules/v3";

  final Path directory;
  final SimulatedDevice identity;
  private final Process process;

  /** Starts a client with this identity, running {@code artifactName}, polling every second. */
  RealClient(
      Path directory,
      URI server,
      String mac,
      String deviceType,
      String artifactName,
      Optional<Path> serverCertificate)
      throws IOException {
    this.directory = directory;
    this.identity = new SimulatedDevice(SimulatedDevice.KeyKind.EC, mac);
    Path data = Files.createDirectories(directory.resolve("data"));
    Path modules = Files.createDirectories(directory.resolve("modules"));
    Path identityDir = Files.createDirectories(directory.resolve("identity"));
    try (Stream<Path> shipped = Files.list(Path.of(MODULES))) {
      for (Path module : (Iterable<Path>) shipped::iterator) {
        Files.copy(module, modules.resolve(module.getFileName()));
      }
    }
    executable(
        modules.resolve("fail-module"),
        """
        #!/bin/sh
        case "$1" in
          ArtifactInstall) echo "fail-module: this update fails on purpose" >&2; exit 1 ;;
          NeedsArtifactReboot) echo No ;;
          SupportsRollback) echo No ;;
        esac
        exit 0
        """);
    // Fails its first install and leaves a mark; installs the second time. It cannot roll back,
    // so the failed attempt leaves the client on "<artifact>_INCONSISTENT".
    executable(
        modules.resolve("fail-once-module"),
        """
        #!/bin/sh
        case "$1" in
          ArtifactInstall)
            if [ ! -f %1$s ]; then
              touch %1$s; echo "fail-once-module: the first attempt fails" >&2; exit 1
            fi ;;
          NeedsArtifactReboot) echo No ;;
          SupportsRollback) echo No ;;
        esac
        exit 0
        """
            .formatted(directory.resolve("failed-once")));
    // Installs only once the test creates the file "release" beside it: holds the client in
    // "installing" for as long as a test needs.
    executable(
        modules.resolve("gated-module"),
        """
        #!/bin/sh
        case "$1" in
          ArtifactInstall)
            i=0
            while [ ! -f %s ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done ;;
          NeedsArtifactReboot) echo No ;;
          SupportsRollback) echo No ;;
        esac
        exit 0
        """
            .formatted(directory.resolve("release")));
    executable(identityDir.resolve("mender-device-identity"), "#!/bin/sh\necho mac=" + mac + "\n");
    Files.writeString(directory.resolve("artifact_info"), "artifact_name=" + artifactName + "\n");
    Files.writeString(data.resolve("device_type"), "device_type=" + deviceType + "\n");
    Files.writeString(data.resolve("mender-agent.pem"), identity.privateKeyPem());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("ServerURL", server.toString());
    config.put("UpdatePollIntervalSeconds", 1);
    config.put("InventoryPollIntervalSeconds", 2);
    config.put("RetryPollIntervalSeconds", 1);
    config.put("DBus", Map.of("Enabled", false));
    serverCertificate.ifPresent(c -> config.put("ServerCertificate", c.toString()));
    Files.write(directory.resolve("mender.conf"), Json.write(config));
    Files.writeString(directory.resolve("fallback.conf"), "{}");
    List<String> script = new ArrayList<>();
    script.add("set -e");
    script.add("mkdir -p /etc/mender /usr/share/mender/identity " + MODULES);
    script.add("touch /etc/mender/artifact_info");
    script.add("mount --bind " + directory.resolve("artifact_info") + " /etc/mender/artifact_info");
    script.add("mount --bind " + identityDir + " /usr/share/mender/identity");
    script.add("mount --bind " + modules + " " + MODULES);
    script.add(
        "exec mender --config "
            + directory.resolve("mender.conf")
            + " --fallback-config "
            + directory.resolve("fallback.conf")
            + " --data "
            + data
            + " --no-syslog --log-level debug --log-file "
            + log()
            + " daemon");
    Path run = directory.resolve("run.sh");
    Files.writeString(run, String.join("\n", script) + "\n");
    this.process =
        new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", run.toString())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("stdout.log").toFile())
            .start();
  }

  /**
   * Skips, or fails when {@code updraft.mender.required} is true (CI), unless the client, the
   * artifact tool and the rights to mount in a private namespace are here.
   */
  static void assumeAvailable() throws IOException, InterruptedException {
    boolean required = Boolean.getBoolean("updraft.mender.required");
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("mender", "mender-artifact", "unshare")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    if (missing.isEmpty()) {
      Process probe =
          new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
              .redirectErrorStream(true)
              .start();
      if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        missing.add("the right to unshare a mount namespace (run as root)");
      }
    }
    if (required && !missing.isEmpty()) {
      throw new AssertionError(
          "the real-client tests are required but these are missing: " + missing);
    }
    assumeThat(missing).as("what the real-client tests need").isEmpty();
  }

  static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  Path log() {
    return directory.resolve("client.log");
  }

  /** Lets the gated module finish installing. */
  void release() throws IOException {
    Files.writeString(directory.resolve("release"), "go");
  }

  /** The last lines of the client's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException unreadable) {
      return "(no client log: " + unreadable.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * Writes an artifact with the real {@code mender-artifact}: a {@code single-file} one that
   * installs {@code payload} as {@code destination}, or one for another update module.
   */
  static Path artifact(
      Path directory, String name, String deviceType, String module, Path destination)
      throws IOException, InterruptedException {
    return artifact(directory, name, deviceType, module, destination, List.of());
  }

  /** As above, with more options of {@code mender-artifact write} ({@code --compression}, …). */
  static Path artifact(
      Path directory,
      String name,
      String deviceType,
      String module,
      Path destination,
      List<String> options)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(directory.resolve("artifact-" + name));
    Path payload = work.resolve(destination.getFileName().toString());
    byte[] bytes = new byte[16 * 1024];
    new java.util.Random(name.hashCode()).nextBytes(bytes);
    Files.write(payload, bytes);
    Files.writeString(work.resolve("dest_dir"), destination.getParent().toString());
    Files.writeString(work.resolve("filename"), destination.getFileName().toString());
    Path out = directory.resolve(name + ".mender");
    List<String> command =
        new ArrayList<>(
            List.of(
                "mender-artifact",
                "write",
                "module-image",
                "-T",
                module,
                "-n",
                name,
                "-t",
                deviceType,
                "-o",
                out.toString(),
                "-f",
                payload.toString()));
    if (module.equals("single-file")) {
      command.addAll(
          List.of(
              "-f",
              work.resolve("dest_dir").toString(),
              "-f",
              work.resolve("filename").toString()));
    }
    command.addAll(options);
    tool(command);
    return out;
  }

  /** Runs {@code mender-artifact} (the command's first word); fails with its output. */
  static void tool(List<String> command) throws IOException, InterruptedException {
    Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (tool.waitFor() != 0) {
      throw new IOException(command.get(0) + " failed: " + output);
    }
  }
}
