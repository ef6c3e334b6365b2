package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.benchmarks.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The example server under load over loopback. It starts the server in a process of its own (its
 * embedded H2 default, or PostgreSQL at {@code UPDRAFT_POSTGRES_URL} with the argument {@code
 * postgres}), uploads 200 releases, and preauthorizes and authenticates 10,000 simulated devices
 * (Ed25519 keys, signed auth requests). Then two waves of 100 deployments to device lists: in each,
 * the devices poll {@code next} (v2 POST) over 32 keep-alive connections with no pause and, when
 * offered a deployment, report downloading, installing and success. The first wave warms the server
 * up and runs until every device has been through its deployment. The second is measured for 30 s
 * from the moment its 100 deployments are created, so the measured seconds hold its whole rollout
 * (each device's offer and three reports) and the polls with nothing new that follow, as in a fleet
 * taking a release. It prints polls and reports per second, their latency percentiles and the
 * server's resident memory (the largest {@code VmRSS} sampled each second), against the issue's
 * targets. Then every device finishes the wave, and 15 s more ({@code load.quietSeconds}) measure
 * the polls of a fleet with nothing new on their own. It fails on any unexpected reply. With {@code
 * -Dload.nodes=2} (PostgreSQL only) two server processes share the database, each serving half the
 * connections, and each node's figures are printed besides the totals.
 *
 * <p>It lives in the server's package to reuse the server's test tooling ({@link SimulatedDevice},
 * {@link ArtifactFiles}) and its JSON helper. The client is a minimal HTTP/1.1 client over a socket
 * ({@link LoadConnection}): the generator shares the machine's cores with the server, so it must
 * cost little. Run with {@code mvn -B -q -DskipTests -Pload package} at the top.
 */
public final class LoadTest {
  private static final int DEVICES = Integer.getInteger("load.devices", 10_000);

  /**
   * Deployments per wave ({@code load.deployments}, a divisor of 100 from 1 to 100; 100 by
   * default): with 1, one deployment to every device, a real rollout's shape, whose record every
   * start and report of the wave changes.
   */
  private static final int DEPLOYMENTS = Integer.getInteger("load.deployments", 100);

  /**
   * The measured wave's deployments each device is in ({@code load.perDevice}, a divisor of the
   * deployments): deployment {@code i} targets the devices {@code j} with {@code j % groups == i %
   * groups}. With 1 (the default) each deployment targets 100 devices; with 10, 1,000, and a device
   * is offered a deployment at every poll until it has been through its 10 (four commits per offer
   * all along).
   */
  private static final int PER_DEVICE = Integer.getInteger("load.perDevice", 1);

  private static final int CONNECTIONS = 32;

  /**
   * Server nodes ({@code load.nodes}, 1 or 2): with 2, two server processes share one PostgreSQL
   * and one data directory (its secrets and artifacts), and connection {@code i} talks to node
   * {@code i % 2}, so each node serves half the fleet; the administrator's calls go to the first.
   */
  private static final int NODES = Integer.getInteger("load.nodes", 1);

  /** The longest a wave may take to finish (the warm-up wave, the rest of the measured one). */
  private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("load.warmup", 300));

  private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("load.seconds", 30));

  /** How long the polls with nothing new are measured once every device has finished the wave. */
  private static final Duration QUIET = Duration.ofSeconds(Long.getLong("load.quietSeconds", 15));

  private static final String DEVICE_TYPE = "load-board";
  private static final String WARM_UP_WAVE = "warm-up";
  private static final String MEASURED_WAVE = "release";
  private static final String NEXT = "/api/devices/v2/deployments/device/deployments/next";
  private static final String STATUS = "/api/devices/v1/deployments/device/deployments/%s/status";
  private static final List<String> REPORTS = List.of("downloading", "installing", "success");

  private final int[] ports;
  private final String adminToken = UUID.randomUUID().toString();
  private final String[] ids = new String[DEVICES];
  private final String[] tokens = new String[DEVICES];

  /** What each device runs now: its artifact name, updated after each success. */
  private final String[] running = new String[DEVICES];

  private LoadTest(int[] ports) {
    this.ports = ports;
    Arrays.fill(running, "factory");
  }

  public static void main(String[] args) throws Exception {
    if (DEPLOYMENTS < 1 || 100 % DEPLOYMENTS != 0) {
      throw new IllegalArgumentException("load.deployments must divide 100, was " + DEPLOYMENTS);
    }
    if (PER_DEVICE < 1 || DEPLOYMENTS % PER_DEVICE != 0) {
      throw new IllegalArgumentException(
          "load.perDevice must divide load.deployments (" + DEPLOYMENTS + "), was " + PER_DEVICE);
    }
    String database = args.length > 0 ? args[0] : "h2";
    if (NODES < 1 || NODES > 2 || (NODES == 2 && !database.equals("postgres"))) {
      throw new IllegalArgumentException(
          "load.nodes: 1, or 2 over postgres (embedded H2 has one process), was " + NODES);
    }
    Optional<String> jdbcUrl =
        switch (database) {
          case "h2" -> Optional.empty();
          case "postgres" ->
              Optional.of(
                  Optional.ofNullable(System.getenv("UPDRAFT_POSTGRES_URL"))
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "postgres: set UPDRAFT_POSTGRES_URL (scripts/with-postgres.sh"
                                      + " does)")));
          default ->
              throw new IllegalArgumentException(
                  "database: expected h2 or postgres, got " + database);
        };
    Path data = Files.createTempDirectory("updraft-load");
    int[] ports = new int[NODES];
    for (int node = 0; node < NODES; node++) {
      try (ServerSocket free = new ServerSocket(0)) {
        ports[node] = free.getLocalPort();
      }
    }
    LoadTest test = new LoadTest(ports);
    List<Process> servers = new ArrayList<>();
    boolean passed;
    try {
      for (int node = 0; node < NODES; node++) {
        servers.add(test.startServer(data, jdbcUrl, node)); // the first makes the secrets
      }
      passed =
          test.run(data, database, servers.stream().mapToLong(Process::pid).toArray()).passed();
    } finally {
      for (Process server : servers) {
        server.destroy();
        server.waitFor();
      }
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (!passed) {
      System.exit(1); // after the server is stopped
    }
  }

  private Process startServer(Path data, Optional<String> jdbcUrl, int node) throws Exception {
    int port = ports[node];
    Path log = data.resolve("server-" + node + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), MenderServerMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("UPDRAFT_DATA_DIR", data.resolve("server").toString());
    env.put("UPDRAFT_HOST", "127.0.0.1");
    env.put("UPDRAFT_PORT", Integer.toString(port));
    env.put("UPDRAFT_ADMIN_TOKEN", adminToken);
    jdbcUrl.ifPresentOrElse(url -> env.put("UPDRAFT_JDBC_URL", url), () -> {});
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process server = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        new Socket("127.0.0.1", port).close();
        return server;
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          server.destroy();
          throw new IllegalStateException(
              "the server did not start: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        Thread.sleep(100);
      }
    }
  }

  private Table run(Path data, String database, long[] serverPids) throws Exception {
    long setupStart = System.nanoTime();
    Path artifacts = Files.createDirectories(data.resolve("artifacts"));
    uploadReleases(artifacts, WARM_UP_WAVE);
    uploadReleases(artifacts, MEASURED_WAVE);
    onConnections(this::admit);
    System.out.printf(
        "set up %,d devices and %d releases in %.1f s%n",
        DEVICES, 2 * DEPLOYMENTS, (System.nanoTime() - setupStart) / 1e9);

    long warmUpStart = System.nanoTime();
    createDeployments(WARM_UP_WAVE, 1);
    finishWave("warm-up", DEVICES);
    System.out.printf(
        "warm-up wave: %,d devices through their deployment in %.1f s%n",
        DEVICES, (System.nanoTime() - warmUpStart) / 1e9);

    createDeployments(MEASURED_WAVE, PER_DEVICE);
    long start = System.nanoTime();
    long end = start + MEASURED.toNanos();
    AtomicLong[] rss = new AtomicLong[NODES];
    List<Thread> samplers = new ArrayList<>();
    for (int node = 0; node < NODES; node++) {
      AtomicLong largest = rss[node] = new AtomicLong();
      long pid = serverPids[node];
      Thread sampler = new Thread(() -> sampleRss(pid, end, largest), "rss-sampler-" + node);
      sampler.setDaemon(true);
      sampler.start();
      samplers.add(sampler);
    }
    // -Dload.jfr=<file>: record the server over the measured seconds with JDK Flight Recorder
    Optional<String> jfr = Optional.ofNullable(System.getProperty("load.jfr"));
    jfr.ifPresent(file -> jcmd(serverPids[0], "JFR.start", "settings=default"));
    Recorder[] byConnection = drive(end, false);
    Recorder all = Recorder.merge(byConnection, connection -> true);
    double seconds = (System.nanoTime() - start) / 1e9;
    jfr.ifPresent(file -> jcmd(serverPids[0], "JFR.dump", "filename=" + file));
    for (Thread sampler : samplers) {
      sampler.join();
    }
    // then the fleet once the release is out: every device finishes the wave, and polls with
    // nothing new are measured on their own
    finishWave("measured", DEVICES * PER_DEVICE - all.finished);
    long quietStart = System.nanoTime();
    Recorder[] quietByConnection = drive(quietStart + QUIET.toNanos(), false);
    Recorder quiet = Recorder.merge(quietByConnection, connection -> true);
    double quietSeconds = (System.nanoTime() - quietStart) / 1e9;
    double polls = all.polls.size() / seconds;
    double pollP99 = all.polls.percentile(99) / 1e6;
    Table table =
        new Table(
            String.format(
                "load test (%s, %d node%s, %,d devices, %d deployments, each device in %d)",
                database, NODES, NODES == 1 ? "" : "s", DEVICES, DEPLOYMENTS, PER_DEVICE));
    table.row(
        "polls per second (32 connections)",
        database.equals("h2") ? ">= 5,000" : "(info)",
        polls,
        !database.equals("h2") || polls >= 5_000);
    table.row("poll latency p50 (ms)", "(info)", all.polls.percentile(50) / 1e6, true);
    table.row(
        "poll latency p99 (ms)",
        database.equals("h2") ? "<= 20 ms" : "(info)",
        pollP99,
        !database.equals("h2") || pollP99 <= 20);
    table.row("status reports per second", "(info)", all.reports.size() / seconds, true);
    table.row("status report latency p50 (ms)", "(info)", all.reports.percentile(50) / 1e6, true);
    table.row("status report latency p99 (ms)", "(info)", all.reports.percentile(99) / 1e6, true);
    table.row(
        "deployments finished by devices",
        "(info; " + DEVICES * PER_DEVICE + " in the wave)",
        all.finished,
        true);
    table.row(
        "seconds until the last device finished",
        "(info)",
        all.finished == 0 ? 0 : (all.lastFinished - start) / 1e9,
        true);
    for (int node = 0; node < NODES; node++) {
      String name = NODES == 1 ? "server" : "node " + (node + 1);
      if (NODES > 1) {
        int index = node;
        Recorder own = Recorder.merge(byConnection, connection -> connection % NODES == index);
        table.row(name + ": polls per second", "(info)", own.polls.size() / seconds, true);
        table.row(name + ": poll latency p99 (ms)", "(info)", own.polls.percentile(99) / 1e6, true);
        table.row(
            name + ": status reports per second", "(info)", own.reports.size() / seconds, true);
        table.row(name + ": deployments finished by devices", "(info)", own.finished, true);
      }
      table.row(name + " resident memory, largest (MiB)", "(info)", rss[node].get() / 1024.0, true);
    }
    table.row("unexpected replies", "0", all.errors, all.errors == 0);
    table.row(
        "after the rollout: polls per second (" + QUIET.toSeconds() + " s, nothing new)",
        "(info)",
        quiet.polls.size() / quietSeconds,
        true);
    table.row(
        "after the rollout: poll latency p50 (ms)",
        "(info)",
        quiet.polls.percentile(50) / 1e6,
        true);
    table.row(
        "after the rollout: poll latency p99 (ms)",
        "(info)",
        quiet.polls.percentile(99) / 1e6,
        true);
    for (int node = 0; NODES > 1 && node < NODES; node++) {
      int index = node;
      table.row(
          "after the rollout: node " + (node + 1) + ": polls per second",
          "(info)",
          Recorder.merge(quietByConnection, connection -> connection % NODES == index).polls.size()
              / quietSeconds,
          true);
    }
    table.row("after the rollout: unexpected replies", "0", quiet.errors, quiet.errors == 0);
    table.print(
        String.format(
            "(%.1f s measured from the wave's creation; latencies as the generator sees them, on"
                + " the same machine)",
            seconds));
    all.firstError.ifPresent(error -> System.out.println("first unexpected reply: " + error));
    return table;
  }

  /**
   * The devices poll and report on every connection until {@code end} or, with {@code untilQuiet},
   * until each had nothing new; what they saw.
   */
  private Recorder[] drive(long end, boolean untilQuiet) throws Exception {
    Recorder[] recorders = new Recorder[CONNECTIONS];
    onConnections(
        thread -> recorders[thread] = load(thread, () -> System.nanoTime() >= end, untilQuiet));
    return recorders;
  }

  /**
   * The devices poll and report until each had nothing new, within {@link #WARMUP}; fails unless
   * {@code expected} device deployments finished, without an unexpected reply.
   */
  private void finishWave(String wave, long expected) throws Exception {
    Recorder done =
        Recorder.merge(drive(System.nanoTime() + WARMUP.toNanos(), true), connection -> true);
    if (done.errors > 0 || done.finished < expected) {
      throw new IllegalStateException(
          String.format(
              "the %s wave did not finish in %d s: %,d of %,d device deployments finished, %d"
                  + " unexpected replies%s",
              wave,
              WARMUP.toSeconds(),
              done.finished,
              expected,
              done.errors,
              done.firstError.map(e -> " (first: " + e + ")").orElse("")));
    }
  }

  private static String release(String wave, int i) {
    return wave + "-" + i;
  }

  private void uploadReleases(Path directory, String wave) throws IOException {
    try (LoadConnection admin = new LoadConnection(ports[0])) {
      for (int i = 0; i < DEPLOYMENTS; i++) {
        Path file = ArtifactFiles.write(directory, release(wave, i), DEVICE_TYPE);
        ArtifactFiles.Upload upload = ArtifactFiles.Upload.of(file);
        expect(
            admin.send(
                "POST",
                TestServer.ARTIFACTS,
                Map.of(
                    "Authorization", "Bearer " + adminToken, "Content-Type", upload.contentType()),
                upload.body()),
            201);
      }
    }
  }

  /** Preauthorizes the devices of one connection, then each authenticates: its id and token. */
  private void admit(int thread) {
    try (LoadConnection connection = new LoadConnection(ports[0])) {
      for (int i = thread; i < DEVICES; i += CONNECTIONS) {
        SimulatedDevice device =
            new SimulatedDevice(SimulatedDevice.KeyKind.ED25519, String.format("02:%08x", i));
        LoadConnection.Reply preauthorized =
            expect(
                connection.send(
                    "POST",
                    TestServer.DEVAUTH,
                    json(adminToken),
                    Json.write(
                        Map.of(
                            "identity_data", Map.of("mac", device.mac),
                            "pubkey", device.publicKeyPem()))),
                201);
        String location = preauthorized.header("Location");
        ids[i] = location.substring(location.lastIndexOf('/') + 1);
        byte[] auth = device.authRequestBody();
        tokens[i] =
            expect(
                    connection.send(
                        "POST",
                        "/api/devices/v1/authentication/auth_requests",
                        Map.of(
                            "Content-Type",
                            "application/json",
                            "X-MEN-Signature",
                            device.sign(auth)),
                        auth),
                    200)
                .text();
      }
    }
  }

  /** The wave's 100 deployments, each device in {@code perDevice} of them. */
  private void createDeployments(String wave, int perDevice) {
    int groups = DEPLOYMENTS / perDevice;
    try (LoadConnection admin = new LoadConnection(ports[0])) {
      for (int i = 0; i < DEPLOYMENTS; i++) {
        int group = i % groups;
        List<String> devices =
            IntStream.range(0, DEVICES)
                .filter(j -> j % groups == group)
                .mapToObj(j -> ids[j])
                .toList();
        expect(
            admin.send(
                "POST",
                TestServer.DEPLOYMENTS,
                json(adminToken),
                Json.write(
                    Map.of(
                        "name",
                        release(wave, i),
                        "artifact_name",
                        release(wave, i),
                        "devices",
                        devices))),
            201);
      }
    }
  }

  /**
   * One connection's devices in turn: poll, and on an offer report the three statuses. Stops when
   * {@code over} says so, or, with {@code untilQuiet}, once a whole turn of the devices had nothing
   * new. Returns what it saw.
   */
  private Recorder load(int thread, BooleanSupplier over, boolean untilQuiet) {
    Recorder recorder = new Recorder();
    int[] devices = IntStream.range(0, DEVICES).filter(i -> i % CONNECTIONS == thread).toArray();
    int quiet = 0; // polls in a row with nothing new
    try (LoadConnection connection = new LoadConnection(ports[thread % NODES])) {
      for (int turn = 0; !over.getAsBoolean() && !(untilQuiet && quiet == devices.length); turn++) {
        int device = devices[turn % devices.length];
        byte[] provides =
            Json.write(
                Map.of(
                    "device_provides",
                    Map.of("device_type", DEVICE_TYPE, "artifact_name", running[device])));
        long sent = System.nanoTime();
        LoadConnection.Reply poll = connection.send("POST", NEXT, json(tokens[device]), provides);
        recorder.polls.add(System.nanoTime() - sent);
        if (poll.status() == 204) {
          quiet++;
          continue;
        }
        quiet = 0;
        if (poll.status() != 200) {
          recorder.error("poll", poll);
          continue;
        }
        JsonNode offer = Json.parse(poll.body());
        String path = String.format(STATUS, offer.path("id").asText());
        for (String status : REPORTS) {
          long reported = System.nanoTime();
          LoadConnection.Reply reply =
              connection.send(
                  "PUT", path, json(tokens[device]), Json.write(Map.of("status", status)));
          recorder.reports.add(System.nanoTime() - reported);
          if (reply.status() != 204) {
            recorder.error("report " + status, reply);
          }
        }
        running[device] = offer.path("artifact").path("artifact_name").asText();
        recorder.finished++;
        recorder.lastFinished = System.nanoTime();
      }
    }
    return recorder;
  }

  private static Map<String, String> json(String token) {
    return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
  }

  private static LoadConnection.Reply expect(LoadConnection.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException(
          "expected " + status + ", got " + reply.status() + ": " + reply.text());
    }
    return reply;
  }

  /** Runs {@code work} for each connection index on its own thread; fails if any failed. */
  private static void onConnections(IntConsumer work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < CONNECTIONS; thread++) {
        int index = thread;
        done.add(threads.submit(() -> work.accept(index)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
  }

  private static void jcmd(long pid, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid));
    command.addAll(List.of(arguments));
    try {
      new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Samples the server's {@code VmRSS} (KiB) once a second until {@code end}. */
  private static void sampleRss(long pid, long end, AtomicLong largest) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      while (System.nanoTime() < end) {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            long kib = Long.parseLong(line.replaceAll("\\D", ""));
            largest.accumulateAndGet(kib, Math::max);
          }
        }
        Thread.sleep(1_000);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One connection's measurements. */
  private static final class Recorder {
    final Samples polls = new Samples();
    final Samples reports = new Samples();
    long finished;
    long lastFinished;
    long errors;
    Optional<String> firstError = Optional.empty();

    /** Any unexpected reply, in the warm-up too, fails the run. */
    void error(String what, LoadConnection.Reply reply) {
      errors++;
      if (firstError.isEmpty()) {
        firstError = Optional.of(what + ": " + reply.status() + " " + reply.text());
      }
    }

    /** The recorders of the connections {@code which} takes, merged. */
    static Recorder merge(Recorder[] recorders, IntPredicate which) {
      Recorder all = new Recorder();
      for (int connection = 0; connection < recorders.length; connection++) {
        if (!which.test(connection)) {
          continue;
        }
        Recorder recorder = recorders[connection];
        all.polls.addAll(recorder.polls);
        all.reports.addAll(recorder.reports);
        all.finished += recorder.finished;
        all.lastFinished = Math.max(all.lastFinished, recorder.lastFinished);
        all.errors += recorder.errors;
        if (all.firstError.isEmpty()) {
          all.firstError = recorder.firstError;
        }
      }
      return all;
    }
  }

  /** Latencies in nanoseconds. */
  private static final class Samples {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    void addAll(Samples other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    }

    int size() {
      return size;
    }

    /** The {@code p}th percentile (nearest rank); 0 when empty. */
    double percentile(double p) {
      if (size == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[(int) Math.min(size - 1, Math.ceil(p / 100 * size) - 1)];
    }
  }
}
