package dev.updraft.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.jdbc.JdbcStore;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.DeviceStateRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded store's live heap, as the example server holds it after a restart: a JDBC store on
 * embedded H2 whose records were written, then loaded again into its copy in memory (each body
 * decoded on its own, as at a server's start). It writes {@code devices} accepted devices
 * (identity, a Mender client's inventory, their state), then {@code deployments} finished
 * deployments to every device, each device's device deployment a success, as the engine writes
 * them. It reports the used heap after forced collections: empty, with the devices, and with the
 * device deployments too, and the bytes per device and per finished device deployment.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Pmemory package} at the top ({@code -Dmemory.devices},
 * {@code -Dmemory.deployments}, {@code -Dmemory.heap}).
 */
public final class MemoryReport {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final int BATCH = 20_000;

  private MemoryReport() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    int deployments = Integer.parseInt(args[1]);
    Path directory = Files.createTempDirectory("updraft-memory");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(JdbcStore.embeddedH2Url(directory));
    config.setMaximumPoolSize(4);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      new JdbcStore(dataSource);
      long empty = usedAfterGc();

      JdbcStore writer = new JdbcStore(dataSource);
      Batch batch = new Batch(writer);
      for (int i = 0; i < devices; i++) {
        batch.insert(RecordType.DEVICE, device(i));
      }
      batch.flush();
      new JdbcStore(dataSource); // loads the records again, as a restarted server does
      long withDevices = usedAfterGc();

      writer = new JdbcStore(dataSource);
      batch = new Batch(writer);
      for (int d = 0; d < deployments; d++) {
        String deploymentId = String.format("%024x", 0xdeb10000L + d);
        batch.insert(RecordType.DEPLOYMENT, deployment(deploymentId, d, devices));
        for (int i = 0; i < devices; i++) {
          batch.insert(RecordType.TARGET, new TargetRecord(deploymentId, deviceId(i), 1));
          batch.insert(RecordType.DEVICE_DEPLOYMENT, success(deploymentId, d, i));
        }
      }
      batch.flush();
      new JdbcStore(dataSource);
      long withHistory = usedAfterGc();

      long records = (long) devices * deployments;
      Table table =
          new Table(
              String.format(
                  "embedded store's live heap (%,d devices, %d finished deployments each)",
                  devices, deployments));
      table.row("heap, empty store (MiB)", "(info)", empty / 1048576.0, true);
      table.row("heap with the devices (MiB)", "(info)", withDevices / 1048576.0, true);
      table.row(
          "heap with the devices and their deployments (MiB)",
          "(info)",
          withHistory / 1048576.0,
          true);
      table.row("bytes per device", "(info)", (double) (withDevices - empty) / devices, true);
      table.row(
          "bytes per finished device deployment (its target entry included)",
          "(info)",
          (double) (withHistory - withDevices) / records,
          true);
      table.print("(used heap after forced collections, " + Runtime.version() + ")");
    } finally {
      try (var files = Files.walk(directory)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Inserts in commits of {@value #BATCH} records. */
  private static final class Batch {
    private final JdbcStore store;
    private ChangeSet changes = ChangeSet.create();
    private int size;

    Batch(JdbcStore store) {
      this.store = store;
    }

    <R extends StoredRecord> void insert(RecordType<R> type, R record) {
      changes.insert(type, record);
      if (++size == BATCH) {
        flush();
      }
    }

    void flush() {
      if (size > 0) {
        store.commit(changes);
        changes = ChangeSet.create();
        size = 0;
      }
    }
  }

  /** A Mender device id: 24 hex digits. */
  private static String deviceId(int i) {
    return String.format("%024x", 0x5f000000L + i);
  }

  /** An accepted device as the example server stores it: identity, a client's inventory, state. */
  private static DeviceRecord device(int i) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    String mac =
        String.format(
            "02:00:%02x:%02x:%02x:%02x", i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255);
    attributes.put("identity/mac", mac);
    attributes.put("inventory/hostname", "board-" + i);
    attributes.put(
        "inventory/kernel", "Linux version 6.1.0-rpi7-rpi-v8 (gcc 12.2.0) #1 SMP PREEMPT");
    attributes.put("inventory/os", "Debian GNU/Linux 12 (bookworm)");
    attributes.put("inventory/cpu_model", "ARMv8 Processor rev 3 (v8l)");
    attributes.put("inventory/mem_total_kB", 3884816.0);
    attributes.put("inventory/network_interfaces", List.of("eth0", "wlan0"));
    attributes.put("inventory/mac_eth0", mac);
    attributes.put(
        "inventory/ipv4_eth0",
        String.format("10.%d.%d.%d/16", (i >>> 16) & 255, (i >>> 8) & 255, i & 255));
    attributes.put("inventory/bootloader_integration", "uboot");
    attributes.put("inventory/mender_client_version", "3.5.2");
    attributes.put("inventory/rootfs-image.version", "app-19");
    return new DeviceRecord(
        deviceId(i),
        1,
        "accepted",
        Optional.of("raspberrypi4"),
        Optional.of("app-19"),
        Map.of("rootfs-image.version", "app-19", "rootfs-image.checksum", "4f2a9c0d1b3e"),
        attributes,
        Optional.empty());
  }

  private static DeploymentRecord deployment(String id, int d, int devices) {
    Instant created = T0.plusSeconds(86_400L * d);
    return new DeploymentRecord(
        id,
        1,
        "app-" + d,
        "app-" + d,
        created,
        d + 1,
        "DEVICE_LIST",
        Optional.empty(),
        Optional.empty(),
        devices,
        "devices:9d5ed678fe57bcca610140957afab571",
        List.of(),
        0,
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Map.of("pending", (long) devices),
        0,
        List.of(0L),
        List.of(0L),
        List.of(0L),
        0,
        0,
        Optional.empty(),
        false,
        false,
        Optional.of(created.plusSeconds(3_600)),
        16);
  }

  /** A device deployment that succeeded, as the engine leaves it. */
  private static DeviceDeploymentRecord success(String deploymentId, int d, int i) {
    Instant created = T0.plusSeconds(86_400L * d);
    return new DeviceDeploymentRecord(
        deviceId(i),
        deploymentId,
        1,
        Optional.of(String.format("%08x-0000-4000-8000-%012x", d, 0xa27L)),
        "success",
        "",
        created,
        d + 1,
        created.plusSeconds(i % 600),
        Optional.of(created.plusSeconds(600 + i % 600)),
        1,
        false,
        Optional.of(
            new DeviceStateRecord(
                "raspberrypi4",
                "app-" + (d - 1),
                Map.of("rootfs-image.version", "app-" + (d - 1)))),
        Optional.empty(),
        Optional.empty());
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
