package dev.updraft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.engine.Updraft;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an earlier Updraft stored keeps reading: the {@link GoldenRecords} of every format,
 * committed to the store under test, read back as written, and read by today's engine, which sums a
 * deployment's base counters and its stripes (none before format 2).
 */
final class StoredFormatsKit {
  private final Supplier<UpdraftStore> stores;

  StoredFormatsKit(Supplier<UpdraftStore> stores) {
    this.stores = stores;
  }

  void everyFormatReads() {
    for (int format : GoldenRecords.FORMATS) {
      UpdraftStore store = stores.get();
      Map<RecordType<?>, StoredRecord> golden = GoldenRecords.all(format);
      ChangeSet changes = ChangeSet.create();
      golden.forEach((type, record) -> insert(changes, type, atFirstVersion(record)));
      store.commit(changes);
      golden.forEach(
          (type, record) ->
              assertThat(store.get(type, record.key()).map(StoredRecord.class::cast))
                  .as("format %d's %s", format, type)
                  .contains(atFirstVersion(record)));

      Updraft engine = Updraft.builder(store).build();
      Deployment deployment = engine.deployment("deployment-1").orElseThrow();
      boolean striped = format >= 2;
      assertThat(deployment.statistics().count(DeviceDeploymentStatus.PENDING))
          .as("format %d: pending, the base's 3 less the stripe's 2", format)
          .isEqualTo(striped ? 1 : 3);
      assertThat(deployment.statistics().count(DeviceDeploymentStatus.SUCCESS))
          .isEqualTo(striped ? 7 : 5);
      assertThat(deployment.statistics().count(DeviceDeploymentStatus.FAILURE)).isEqualTo(2);
      assertThat(deployment.handedOut()).isEqualTo(striped ? 12 : 10);
      assertThat(deployment.phaseCounts()).containsExactly(striped ? 12L : 10L, 0L);
      assertThat(deployment.guardTried()).isEqualTo(striped ? 9 : 7);
      assertThat(deployment.paused()).isTrue();
      assertThat(deployment.finished()).isPresent();
      assertThat(deployment.options().maxDevices()).contains(80L);
      assertThat(engine.device("device-1")).isPresent();
    }
  }

  @SuppressWarnings("unchecked") // the record is of the type it is filed under
  private static <R extends StoredRecord> void insert(
      ChangeSet changes, RecordType<R> type, StoredRecord record) {
    changes.insert(type, (R) record);
  }

  /** {@code record} at version 1, every other component the same: what an insert stores. */
  static StoredRecord atFirstVersion(StoredRecord record) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] =
            components[i].getName().equals("version")
                ? 1L
                : components[i].getAccessor().invoke(record);
      }
      return record.getClass().getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + record, e);
    }
  }
}
