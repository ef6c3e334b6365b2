package dev.updraft.tck;

import static dev.updraft.tck.Records.deviceDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The stateful property: random sequences of commits (inserts, updates and deletes, fresh or stale,
 * alone or paired) run against the store and a map side by side; after every step every record and
 * every index partition must match the model. QuickTheories shrinks a failure to the shortest
 * sequence.
 */
final class StoreModelProperty {
  /** Sequences tried per run. */
  static final int EXAMPLES = 200;

  private static final String[] DEPLOYMENTS = {"dep-a", "dep-b"};
  private static final String[] DEVICES = {"d1", "d2", "d3", "d4"};
  private static final String[] STATUSES = {"pending", "downloading", "success"};

  enum Kind {
    INSERT,
    UPDATE,
    DELETE,
    PAIR
  }

  /** One commit: what, on which record, with which status, fresh or stale. */
  record Op(Kind kind, int deployment, int device, int status, boolean stale) {
    @Override
    public String toString() {
      return kind
          + " "
          + DEPLOYMENTS[deployment]
          + "/"
          + DEVICES[device]
          + " "
          + STATUSES[status]
          + (stale ? " stale" : "");
    }
  }

  private StoreModelProperty() {}

  static Gen<Op> ops() {
    return Generate.enumValues(Kind.class)
        .zip(
            integers().between(0, DEPLOYMENTS.length - 1),
            integers().between(0, DEVICES.length - 1),
            integers().between(0, STATUSES.length - 1),
            Generate.booleans(),
            Op::new);
  }

  static void check(Supplier<UpdraftStore> stores) {
    qt().withExamples(EXAMPLES)
        .forAll(lists().of(ops()).ofSizeBetween(1, 30))
        .checkAssert(ops -> run(stores.get(), ops));
  }

  private static void run(UpdraftStore store, List<Op> ops) {
    Map<String, DeviceDeploymentRecord> model = new TreeMap<>();
    for (Op op : ops) {
      String deployment = DEPLOYMENTS[op.deployment()];
      String device = DEVICES[op.device()];
      String key = DeviceDeploymentRecord.keyOf(deployment, device);
      DeviceDeploymentRecord current = model.get(key);
      ChangeSet changes = ChangeSet.create();
      List<DeviceDeploymentRecord> after = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      boolean expectSuccess;
      switch (op.kind()) {
        case INSERT -> {
          DeviceDeploymentRecord record =
              record(deployment, device, 1, op.status(), op.deployment());
          changes.insert(RecordType.DEVICE_DEPLOYMENT, record);
          after.add(record);
          expectSuccess = current == null;
        }
        case UPDATE -> {
          long version = (current == null ? 1 : current.version()) + 1 + (op.stale() ? 1 : 0);
          DeviceDeploymentRecord record =
              record(deployment, device, version, op.status(), op.deployment());
          changes.update(RecordType.DEVICE_DEPLOYMENT, record);
          after.add(record);
          expectSuccess = current != null && !op.stale();
        }
        case DELETE -> {
          long version = (current == null ? 1 : current.version()) + (op.stale() ? 1 : 0);
          changes.delete(
              RecordType.DEVICE_DEPLOYMENT,
              record(deployment, device, version, op.status(), op.deployment()));
          removed.add(key);
          expectSuccess = current != null && !op.stale();
        }
        case PAIR -> {
          String other = DEVICES[(op.device() + 1) % DEVICES.length];
          DeviceDeploymentRecord inserted =
              record(deployment, other, 1, op.status(), op.deployment());
          long version = (current == null ? 1 : current.version()) + 1;
          DeviceDeploymentRecord updated =
              record(deployment, device, version, op.status(), op.deployment());
          changes
              .insert(RecordType.DEVICE_DEPLOYMENT, inserted)
              .update(RecordType.DEVICE_DEPLOYMENT, updated);
          after.add(inserted);
          after.add(updated);
          expectSuccess =
              !model.containsKey(DeviceDeploymentRecord.keyOf(deployment, other))
                  && current != null;
        }
        default -> throw new AssertionError(op);
      }
      boolean succeeded;
      try {
        store.commit(changes);
        succeeded = true;
      } catch (StoreConflictException conflict) {
        succeeded = false;
      }
      assertThat(succeeded)
          .as("outcome of %s after %s", op, model.keySet())
          .isEqualTo(expectSuccess);
      if (succeeded) {
        after.forEach(record -> model.put(record.key(), record));
        removed.forEach(model::remove);
      }
      assertMatches(store, model);
    }
  }

  private static DeviceDeploymentRecord record(
      String deployment, String device, long version, int status, int order) {
    return deviceDeployment(deployment, device, version, STATUSES[status], order);
  }

  private static void assertMatches(UpdraftStore store, Map<String, DeviceDeploymentRecord> model) {
    for (String deployment : DEPLOYMENTS) {
      for (String device : DEVICES) {
        String key = DeviceDeploymentRecord.keyOf(deployment, device);
        assertThat(store.get(RecordType.DEVICE_DEPLOYMENT, key))
            .isEqualTo(Optional.ofNullable(model.get(key)));
      }
      for (String status : STATUSES) {
        List<DeviceDeploymentRecord> expected =
            model.values().stream()
                .filter(r -> r.deploymentId().equals(deployment) && r.status().equals(status))
                .sorted(Comparator.comparing(DeviceDeploymentRecord::deviceId))
                .toList();
        assertThat(scan(store, Index.DEVICE_DEPLOYMENTS_BY_STATUS, deployment + "/" + status))
            .isEqualTo(expected);
      }
    }
    for (String device : DEVICES) {
      List<DeviceDeploymentRecord> expected =
          model.values().stream()
              .filter(r -> r.deviceId().equals(device))
              .sorted(
                  Comparator.comparing(DeviceDeploymentRecord::created)
                      .thenComparing(DeviceDeploymentRecord::key))
              .toList();
      assertThat(scan(store, Index.DEVICE_DEPLOYMENTS_BY_DEVICE, device)).isEqualTo(expected);
    }
  }

  private static List<DeviceDeploymentRecord> scan(
      UpdraftStore store, Index<DeviceDeploymentRecord> index, String partition) {
    List<DeviceDeploymentRecord> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<DeviceDeploymentRecord> page = store.scan(index, partition, after, 2);
      all.addAll(page.items());
      after = page.next();
    } while (after.isPresent());
    return all;
  }
}
