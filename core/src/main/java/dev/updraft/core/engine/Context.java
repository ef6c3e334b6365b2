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

  /** Finished deployments' records, by id: they never change (see {@link #requireStored}). */
  private final Map<String, DeploymentRecord> finished = new ConcurrentHashMap<>();

  /** Emptied when full and filled again, as {@link DecodedCache} is. */
  private static final int MAXIMUM_FINISHED = 50_000;

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
        () -> storage.scanAll(Index.COUNTS_BY_DEPLOYMENT, record.id()));
  }

  /**
   * The deployment {@code deploymentId}; throws when there is none. A finished deployment's record
   * never changes again, so it is read once and kept (a device's every poll reads the deployments
   * that ever targeted it); an open one is read each time.
   *
   * @param deploymentId the deployment's id
   */
  StoredDeployment requireStored(String deploymentId) {
    DeploymentRecord record = finished.get(deploymentId);
    if (record == null) {
      record = requireDeployment(deploymentId);
      if (!record.active()) {
        if (finished.size() >= MAXIMUM_FINISHED) {
          finished.clear();
        }
        finished.put(deploymentId, record);
      }
    }
    return stored(record);
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
