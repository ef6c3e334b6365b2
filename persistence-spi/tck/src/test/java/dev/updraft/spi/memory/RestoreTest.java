package dev.updraft.spi.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A store holding records from elsewhere ({@link InMemoryStore#holding}) stores each at its own
 * version: reads and index scans return it, and commits check against that version, as they do for
 * a committed record.
 */
class RestoreTest {
  private InMemoryStore store = new InMemoryStore();

  private static DeviceRecord device(long version, String group) {
    return new DeviceRecord(
        "device-1",
        version,
        "accepted",
        Optional.of("board"),
        Optional.empty(),
        Map.of(),
        Map.of(),
        Optional.of(group));
  }

  private <R extends StoredRecord> List<R> scan(Index<R> index, String partition) {
    return store.scan(index, partition, Optional.empty(), 100).items();
  }

  @Test
  void aRestoredRecordIsReadAndScannedAtItsVersion() {
    store =
        InMemoryStore.holding(
            List.of(
                new InMemoryStore.Held<>(RecordType.DEVICE, device(7, "lab")),
                new InMemoryStore.Held<>(
                    RecordType.TARGET, new TargetRecord("deployment-1", "device-1", 3))));

    assertThat(store.get(RecordType.DEVICE, "device-1")).contains(device(7, "lab"));
    assertThat(scan(Index.DEVICES_BY_GROUP, "lab")).containsExactly(device(7, "lab"));
    assertThat(scan(Index.TARGETS_BY_DEVICE, "device-1"))
        .containsExactly(new TargetRecord("deployment-1", "device-1", 3));
  }

  @Test
  void commitsCheckARestoredRecordsVersion() {
    store =
        InMemoryStore.holding(
            List.of(new InMemoryStore.Held<>(RecordType.DEVICE, device(7, "lab"))));

    assertThatThrownBy(
            () ->
                store.commit(
                    ChangeSet.create()
                        .update(RecordType.DEVICE, device(6, "lab"), device(7, "field"))))
        .isInstanceOf(StoreConflictException.class);
    store.commit(
        ChangeSet.create().update(RecordType.DEVICE, device(7, "lab"), device(8, "field")));

    assertThat(store.get(RecordType.DEVICE, "device-1")).contains(device(8, "field"));
    assertThat(scan(Index.DEVICES_BY_GROUP, "lab")).isEmpty();
    assertThat(scan(Index.DEVICES_BY_GROUP, "field")).containsExactly(device(8, "field"));
  }

  @Test
  void holdingTwoRecordsUnderOneKeyIsAConflict() {
    assertThatThrownBy(
            () ->
                InMemoryStore.holding(
                    List.of(
                        new InMemoryStore.Held<>(RecordType.DEVICE, device(7, "lab")),
                        new InMemoryStore.Held<>(RecordType.DEVICE, device(2, "field")))))
        .isInstanceOf(StoreConflictException.class);
  }
}
