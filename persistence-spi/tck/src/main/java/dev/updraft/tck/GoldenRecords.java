package dev.updraft.tck;

import dev.updraft.spi.ArtifactRecord;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeploymentRecord.GuardRecord;
import dev.updraft.spi.DeploymentRecord.GuardTripRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.DeviceStateRecord;
import dev.updraft.spi.EventRecord;
import dev.updraft.spi.FilterRecord;
import dev.updraft.spi.LogRecord;
import dev.updraft.spi.PhaseRecord;
import dev.updraft.spi.PhaseRecord.GateRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.ReleaseRecord;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The golden records: one record of every type, as Updraft's engine writes them, with every
 * optional field present that the record allows (a deployment names a filter, so no group) and
 * every collection non-empty, as each stored format of Updraft's records held them. These values
 * never change; a record type that gains a field gets a new format here, and the old ones stay.
 *
 * <p>Two checks keep what was stored readable. The kit commits each format's records to the store
 * under test and reads them back through the engine ({@code StoreContractTest}). An adapter with an
 * encoding of its own commits a corpus of its bodies, encoded once from these values per format,
 * and tests that each body decodes to them (the JDBC store's is {@code src/test/resources/golden}
 * in its module).
 */
public final class GoldenRecords {
  /** Every format, oldest first: 0 and 1 before stripes, 2 with them. */
  public static final List<Integer> FORMATS = List.of(0, 1, 2);

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private GoldenRecords() {}

  private static FilterRecord filter() {
    return new FilterRecord(
        "filter-1",
        2,
        "eu boards",
        List.of(
            Map.of("scope", "inventory", "attribute", "region", "type", "$eq", "value", "eu"),
            Map.of("scope", "inventory", "attribute", "ram", "type", "$gte", "value", 512.0)));
  }

  /**
   * {@return the golden event of the feed, as the engine appends it since format 2, the first
   * format with a feed: every optional field present}
   */
  public static EventRecord event() {
    return new EventRecord(
        0,
        "6f1c2b9e-0d7a-4c55-9a43-2f0e8b1d5c77",
        "DEVICE_DEPLOYMENT_CHANGED",
        "deployment-1",
        Optional.of("device-1"),
        Optional.of("downloading"),
        Optional.of("failure"),
        T0.plusSeconds(90),
        "attempt 2 of 3");
  }

  /**
   * {@return the records of {@code format}, by type, in {@link RecordType#ALL}'s order} Before
   * format 2 a deployment had no stripes (read as 0) and there were no stripe records.
   *
   * @param format the body format
   */
  public static Map<RecordType<?>, StoredRecord> all(int format) {
    Map<RecordType<?>, StoredRecord> all = new LinkedHashMap<>();
    all.put(
        RecordType.DEVICE,
        new DeviceRecord(
            "device-1",
            3,
            "accepted",
            Optional.of("raspberrypi4"),
            Optional.of("app-1.0"),
            Map.of("rootfs-image.checksum", "abc"),
            Map.of("inventory/region", "eu", "identity/mac", "02:00", "tags/ram", List.of(512.0)),
            Optional.of("lab")));
    all.put(
        RecordType.RELEASE,
        new ReleaseRecord(
            "app-2.0",
            2,
            List.of(
                new ArtifactRecord(
                    "a-rpi",
                    List.of("raspberrypi4"),
                    Map.of("rootfs-image.checksum", List.of("abc", "def")),
                    Map.of("rootfs-image.version", "2.0"),
                    List.of("rootfs-image.*"),
                    List.of("rootfs-image"),
                    42_000_000,
                    "9f2c",
                    "s3://artifacts/a-rpi")),
            List.of("stable"),
            "spring release"));
    all.put(RecordType.FILTER, filter());
    all.put(
        RecordType.DEPLOYMENT,
        new DeploymentRecord(
            "deployment-1",
            7,
            "spring rollout",
            "app-2.0",
            T0,
            4,
            "DYNAMIC",
            Optional.empty(),
            Optional.of(filter()),
            100,
            "fingerprint",
            List.of(
                new PhaseRecord(Optional.of(10), Optional.of(T0), Optional.empty()),
                new PhaseRecord(
                    Optional.empty(),
                    Optional.of(T0.plusSeconds(3_600)),
                    Optional.of(new GateRecord(0.9, 5)))),
            2,
            Optional.of(80L),
            true,
            Optional.of(new GuardRecord(0.2, 10, "PAUSE")),
            Optional.of(Duration.ofMinutes(30)),
            Map.of("pending", 3L, "success", 5L, "failure", 2L),
            10,
            List.of(10L, 0L),
            List.of(7L, 0L),
            List.of(5L, 0L),
            7,
            2,
            Optional.of(new GuardTripRecord(2, 7, T0.plusSeconds(60), "PAUSE")),
            true,
            false,
            Optional.of(T0.plusSeconds(7_200)),
            format >= 2 ? 16 : 0));
    if (format >= 2) {
      all.put(
          RecordType.DEPLOYMENT_COUNTS,
          new DeploymentCountsRecord(
              "deployment-1",
              3,
              5,
              Map.of("pending", -2L, "success", 2L),
              2,
              List.of(2L, 0L),
              List.of(2L, 0L),
              List.of(2L, 0L),
              2,
              0));
    }
    all.put(RecordType.TARGET, new TargetRecord("deployment-1", "device-1", 1));
    all.put(
        RecordType.DEVICE_DEPLOYMENT,
        new DeviceDeploymentRecord(
            "device-1",
            "deployment-1",
            4,
            Optional.of("a-rpi"),
            "failure",
            "timed out",
            T0,
            4,
            T0.plusSeconds(10),
            Optional.of(T0.plusSeconds(700)),
            2,
            true,
            Optional.of(
                new DeviceStateRecord("raspberrypi4", "app-1.0", Map.of("rootfs-image.x", "1"))),
            Optional.of(0),
            Optional.of(T0.plusSeconds(610))));
    all.put(
        RecordType.LOG,
        new LogRecord(
            "deployment-1",
            "device-1",
            1,
            List.of(new LogRecord.Message(T0.plusSeconds(20), "error", "disk full"))));
    all.put(RecordType.CLAIM, new ClaimRecord("filter-name:eu boards", 1, "filter-1"));
    all.put(RecordType.COUNTER, new CounterRecord("deployment-sequence", 4, 4));
    return all;
  }
}
