package dev.updraft.tck;

import static dev.updraft.tck.Records.deviceDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.EventRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.TargetRecord;
import dev.updraft.spi.UpdraftStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The stateful property: random sequences of commits (inserts, updates and deletes, fresh or stale,
 * alone or paired, each appending 0 to 2 events) and trims of the event feed run against the store
 * and a map and a list side by side; after every step every record, every partition of every index
 * over the record type, and the event feed (its events, read in pages, and its bounds) must match
 * the model. It runs for device deployments (several indexes, records that change partitions) and
 * for targets, whose ids hold slashes so that two different (deployment, device) pairs share one
 * key, as they do in any store. QuickTheories shrinks a failure to the shortest sequence.
 */
final class StoreModelProperty {
  /** Sequences tried per run. */
  static final int EXAMPLES = 200;

  private static final String[] STATUSES = {"pending", "downloading", "success"};

  /** The records one property commits: a type, the ids to combine, and how to make a record. */
  record Subject<R extends StoredRecord>(
      RecordType<R> type, String[] deployments, String[] devices, Factory<R> factory) {
    R make(int deployment, int device, long version, int status) {
      return factory.make(deployments[deployment], devices[device], version, status, deployment);
    }

    String key(int deployment, int device) {
      return DeviceDeploymentRecord.keyOf(deployments[deployment], devices[device]);
    }

    /** Every record the property can make, at version 1: where index partitions come from. */
    List<R> universe() {
      List<R> all = new ArrayList<>();
      for (int deployment = 0; deployment < deployments.length; deployment++) {
        for (int device = 0; device < devices.length; device++) {
          for (int status = 0; status < STATUSES.length; status++) {
            all.add(make(deployment, device, 1, status));
          }
        }
      }
      return all;
    }
  }

  /** Makes a record; {@code order} orders records in creation-ordered indexes. */
  interface Factory<R> {
    R make(String deployment, String device, long version, int status, int order);
  }

  static final Subject<DeviceDeploymentRecord> DEVICE_DEPLOYMENTS =
      new Subject<>(
          RecordType.DEVICE_DEPLOYMENT,
          new String[] {"dep-a", "dep-b"},
          new String[] {"d1", "d2", "d3", "d4"},
          (deployment, device, version, status, order) ->
              deviceDeployment(deployment, device, version, STATUSES[status], order));

  /**
   * {@code dep-a} + {@code x/d1} and {@code dep-a/x} + {@code d1} share the key {@code dep-a/x/d1}.
   */
  static final Subject<TargetRecord> TARGETS =
      new Subject<>(
          RecordType.TARGET,
          new String[] {"dep-a", "dep-a/x", "dep-b"},
          new String[] {"d1", "x/d1", "d2"},
          (deployment, device, version, status, order) ->
              new TargetRecord(deployment, device, version));

  enum Kind {
    INSERT,
    UPDATE,
    DELETE,
    PAIR,
    /** Trims the feed through its last position minus the op's device index (0 to 3). */
    TRIM
  }

  /** The event feed as the model holds it: the events kept, and the last position given. */
  private static final class ModelFeed {
    final List<EventRecord> events = new ArrayList<>();
    long last;

    long oldest() {
      return events.isEmpty() ? last + 1 : events.get(0).position();
    }
  }

  /**
   * One commit: what, on which record (by the subject's id positions), fresh or stale.
   *
   * @param kind the kind of entity, e.g. {@code artifact}
   * @param deployment the deployment
   * @param device the device
   * @param status the status
   */
  record Op(Kind kind, int deployment, int device, int status, boolean stale) {}

  private StoreModelProperty() {}

  static Gen<Op> ops(Subject<?> subject) {
    return Generate.enumValues(Kind.class)
        .zip(
            integers().between(0, subject.deployments().length - 1),
            integers().between(0, subject.devices().length - 1),
            integers().between(0, STATUSES.length - 1),
            Generate.booleans(),
            Op::new);
  }

  static <R extends StoredRecord> void check(Subject<R> subject, Supplier<UpdraftStore> stores) {
    qt().withExamples(EXAMPLES)
        .forAll(lists().of(ops(subject)).ofSizeBetween(1, 30))
        .checkAssert(ops -> run(subject, stores.get(), ops));
  }

  private static <R extends StoredRecord> void run(
      Subject<R> subject, UpdraftStore store, List<Op> ops) {
    RecordType<R> type = subject.type();
    Map<String, R> model = new TreeMap<>();
    ModelFeed feed = new ModelFeed();
    for (Op op : ops) {
      if (op.kind() == Kind.TRIM) {
        long through = feed.last - op.device();
        store.trimEvents(through);
        feed.events.removeIf(event -> event.position() <= through);
        assertMatches(subject, store, model, feed);
        continue;
      }
      String key = subject.key(op.deployment(), op.device());
      R current = model.get(key);
      ChangeSet changes = ChangeSet.create();
      List<R> after = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      boolean expectSuccess;
      switch (op.kind()) {
        case INSERT -> {
          R record = subject.make(op.deployment(), op.device(), 1, op.status());
          changes.insert(type, record);
          after.add(record);
          expectSuccess = current == null;
        }
        case UPDATE -> {
          long version = (current == null ? 1 : current.version()) + 1 + (op.stale() ? 1 : 0);
          R record = subject.make(op.deployment(), op.device(), version, op.status());
          changes.update(type, replaced(subject, current, op, version), record);
          after.add(record);
          expectSuccess = current != null && !op.stale();
        }
        case DELETE -> {
          long version = (current == null ? 1 : current.version()) + (op.stale() ? 1 : 0);
          changes.delete(type, replaced(subject, current, op, version + 1));
          removed.add(key);
          expectSuccess = current != null && !op.stale();
        }
        case PAIR -> {
          int other = (op.device() + 1) % subject.devices().length;
          R inserted = subject.make(op.deployment(), other, 1, op.status());
          long version = (current == null ? 1 : current.version()) + 1;
          R updated = subject.make(op.deployment(), op.device(), version, op.status());
          changes
              .insert(type, inserted)
              .update(type, replaced(subject, current, op, version), updated);
          after.add(inserted);
          after.add(updated);
          expectSuccess = !model.containsKey(inserted.key()) && current != null;
        }
        default -> throw new AssertionError(op);
      }
      List<EventRecord> appended = new ArrayList<>();
      for (int i = 0; i < op.status(); i++) {
        EventRecord event = EventFeedKit.event(op.deployment() + "", op + " #" + i);
        changes.append(event);
        appended.add(event);
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
        appended.forEach(event -> feed.events.add(event.atPosition(++feed.last)));
      }
      assertMatches(subject, store, model, feed);
    }
  }

  /**
   * The record an update to {@code version} names as replaced (or a delete of {@code version - 1}
   * as removed): the model's current one when that is the version before, else (the change is
   * stale, or nothing is stored) one made up at the version before, which the store must refuse.
   */
  private static <R extends StoredRecord> R replaced(
      Subject<R> subject, @Nullable R current, Op op, long version) {
    return current != null && current.version() == version - 1
        ? current
        : subject.make(op.deployment(), op.device(), version - 1, op.status());
  }

  private static <R extends StoredRecord> void assertMatches(
      Subject<R> subject, UpdraftStore store, Map<String, R> model, ModelFeed feed) {
    EventPage bounds = store.events(0, 1);
    assertThat(bounds.oldest()).as("oldest event").isEqualTo(feed.oldest());
    assertThat(bounds.last()).as("last position").isEqualTo(feed.last);
    assertThat(EventFeedKit.readAll(store, feed.oldest() - 1, 3)).isEqualTo(feed.events);
    for (R possible : subject.universe()) {
      assertThat(store.get(subject.type(), possible.key()))
          .isEqualTo(Optional.ofNullable(model.get(possible.key())));
    }
    for (Index<?> index : Index.ALL) {
      if (index.type().equals(subject.type())) {
        @SuppressWarnings("unchecked") // the type was just compared
        Index<R> ours = (Index<R>) index;
        assertIndexMatches(ours, subject.universe(), store, model);
      }
    }
  }

  private static <R extends StoredRecord> void assertIndexMatches(
      Index<R> index, List<R> universe, UpdraftStore store, Map<String, R> model) {
    Set<String> partitions = new TreeSet<>();
    universe.forEach(record -> partitions.addAll(index.partitionsOf(record)));
    for (String partition : partitions) {
      List<R> expected =
          model.values().stream()
              .filter(record -> index.partitionsOf(record).contains(partition))
              .sorted(
                  Comparator.comparing((R record) -> index.sortKeyOf(record))
                      .thenComparing(StoredRecord::key))
              .toList();
      assertThat(scan(store, index, partition)).as("%s %s", index, partition).isEqualTo(expected);
    }
  }

  private static <R extends StoredRecord> List<R> scan(
      UpdraftStore store, Index<R> index, String partition) {
    List<R> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<R> page = store.scan(index, partition, after, 2);
      all.addAll(page.items());
      after = page.next();
    } while (after.isPresent());
    return all;
  }
}
