package dev.updraft.core.engine;

import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.release.Release;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.ReleaseRecord;
import dev.updraft.spi.StoredRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's services share: the store, the clock, the id source, the listener, and the
 * decoded caches, with the reads every service makes (a record that must exist, a release or a
 * deployment decoded once per stored version).
 */
final class Context {
  private static final Logger LOG = LoggerFactory.getLogger(Context.class);

  /** The counter every deployment's creating commit updates: its value numbers deployments. */
  static final String SEQUENCE = "deployment-sequence";

  static final Comparator<DeploymentRecord> OLDEST_FIRST =
      Comparator.comparing(DeploymentRecord::created).thenComparingLong(DeploymentRecord::sequence);

  final Storage storage;
  final Clock clock;
  final EventListener listener;
  private final Supplier<String> ids;

  private final DecodedCache<ReleaseRecord, Release> releases =
      new DecodedCache<>(Mapping::release);

  /** Keyed by creation, not version: a deployment's target and options never change. */
  final DecodedCache<DeploymentRecord, Mapping.Definition> definitions =
      new DecodedCache<>(
          Mapping::definition,
          (a, b) -> a.sequence() == b.sequence() && a.created().equals(b.created()));

  /**
   * How many stripes a new deployment's counters are spread over (see {@link StoredDeployment}).
   */
  static final int STRIPES = 16;

  /** This node's copy of deployments' records, by id (see {@link #requireStored}). */
  private final Map<String, DeploymentRecord> kept = new ConcurrentHashMap<>();

  /** Deployments summed from their records and stripes, by id (see {@link StoredDeployment}). */
  private final Map<String, StoredDeployment.Summed> summed = new ConcurrentHashMap<>();

  /**
   * The most records or sums kept: emptied when full and filled again, as in {@link DecodedCache}.
   */
  static final int MAXIMUM_KEPT = 50_000;

  Context(Storage storage, Clock clock, Supplier<String> ids, EventListener listener) {
    this.storage = storage;
    this.clock = clock;
    this.ids = ids;
    this.listener = listener;
  }

  <R extends StoredRecord> R require(RecordType<R> type, String kind, String key) {
    return storage.get(type, key).orElseThrow(() -> new NotFoundException(kind, key));
  }

  DeploymentRecord requireDeployment(String deploymentId) {
    return require(RecordType.DEPLOYMENT, "deployment", deploymentId);
  }

  DeviceDeploymentRecord requireDeviceDeployment(String deploymentId, String deviceId) {
    return require(
        RecordType.DEVICE_DEPLOYMENT,
        "device deployment",
        DeviceDeploymentRecord.keyOf(deploymentId, deviceId));
  }

  /**
   * The release of a record, decoded once per stored version.
   *
   * @param record the stored release
   */
  Release release(ReleaseRecord record) {
    return releases.get(record);
  }

  Release requireRelease(String name) {
    return release(require(RecordType.RELEASE, "release", name));
  }

  /**
   * The deployment of a record, its stripes read.
   *
   * @param record the stored deployment
   */
  Deployment deployment(DeploymentRecord record) {
    return stored(record).deployment();
  }

  /**
   * A deployment's record, whose stripes are read when first needed.
   *
   * @param record the stored deployment
   */
  StoredDeployment stored(DeploymentRecord record) {
    return new StoredDeployment(
        record,
        definitions.get(record),
        () -> storage.scanAll(Index.COUNTS_BY_DEPLOYMENT, record.id()),
        summed);
  }

  /**
   * The deployment {@code deploymentId}; throws when there is none. Its record comes from this
   * node's copy when that is safe, and is read otherwise (and the copy with it):
   *
   * <ul>
   *   <li>A finished deployment's record never changes again: the copy always serves.
   *   <li>An open deployment's record changes only when a mark does (paused, stopped, finished, the
   *       guard's trip), and every commit that acts on a deployment checks or updates its record's
   *       version: the copy serves an operation's first attempt, and a commit it misled (another
   *       node paused or finished the deployment meanwhile) conflicts and is retried on a read.
   *       Except a paused record: a poll it misled would commit nothing, only hold the device back
   *       after another node resumed the deployment, so it is always read.
   * </ul>
   *
   * @param deploymentId the deployment's id
   */
  StoredDeployment requireStored(String deploymentId) {
    DeploymentRecord record = kept.get(deploymentId);
    boolean fresh =
        record != null && (!record.active() || (storage.firstAttempt() && !record.paused()));
    if (!fresh) {
      record = requireDeployment(deploymentId);
      keep(record);
    }
    return stored(record);
  }

  /**
   * Keeps {@code record} as this node's copy of its deployment's record, unless the copy is newer.
   *
   * @param record the stored deployment
   */
  void keep(DeploymentRecord record) {
    if (kept.size() >= MAXIMUM_KEPT) {
      kept.clear();
    }
    kept.merge(record.id(), record, (old, read) -> read.version() >= old.version() ? read : old);
  }

  /**
   * The deployment {@code deploymentId}, read once per operation into {@code loaded}.
   *
   * @param deploymentId the deployment's id
   */
  StoredDeployment load(Map<String, StoredDeployment> loaded, String deploymentId) {
    StoredDeployment stored = loaded.get(deploymentId);
    if (stored == null) {
      stored = requireStored(deploymentId);
      loaded.put(deploymentId, stored);
    }
    return stored;
  }

  /**
   * A deployment's open device deployments.
   *
   * @param deploymentId the deployment's id
   */
  List<DeviceDeploymentRecord> openRecords(String deploymentId) {
    List<DeviceDeploymentRecord> open = new ArrayList<>();
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      if (status.isOpen()) {
        open.addAll(
            storage.scanAll(
                Index.DEVICE_DEPLOYMENTS_BY_STATUS, Mapping.statusPartition(deploymentId, status)));
      }
    }
    return open;
  }

  /** Runs the events of a commit that succeeded; a listener's failure is logged, never thrown. */
  void publish(List<Runnable> events) {
    for (Runnable event : events) {
      try {
        event.run();
      } catch (RuntimeException e) {
        LOG.warn("event listener failed", e);
      }
    }
  }

  /** A new deployment or filter id from the host's source. */
  String newId() {
    String id = ids.get();
    if (id.contains("/")) {
      throw new IllegalStateException("generated id contains '/': " + id);
    }
    return id;
  }
}
