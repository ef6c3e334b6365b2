package dev.updraft.core.engine;

import com.google.common.collect.Lists;
import com.google.common.hash.Hashing;
import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.deployment.TargetKind;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterIndex;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Candidate;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.FilterRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.LogRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.ReleaseRecord;
import dev.updraft.spi.TargetRecord;
import dev.updraft.spi.UpdraftStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one facade of Updraft's engine: devices, releases, groups, deployments and the device side
 * (poll, report, log), over a host's {@link UpdraftStore}. Thread safe; several instances (in one
 * process or several) may share one store.
 *
 * <p>Every operation reads what it needs (by key or by index, never by walking all records on a
 * device's hot path), asks the pure decisions of the domain packages, and writes the result in one
 * atomic commit; a conflict with a concurrent commit makes it read and decide again. Events go to
 * the listener after the commit.
 */
public final class Updraft {
  private static final Logger LOG = LoggerFactory.getLogger(Updraft.class);
  private static final String SEQUENCE = "deployment-sequence";
  private static final Comparator<DeploymentRecord> OLDEST_FIRST =
      Comparator.comparing(DeploymentRecord::created).thenComparingLong(DeploymentRecord::sequence);

  private final Storage storage;
  private final Clock clock;
  private final Supplier<String> ids;
  private final EventListener listener;
  private final DecodedCache<ReleaseRecord, Release> decodedReleases =
      new DecodedCache<>(Mapping::release);

  /** Keyed by creation, not version: a deployment's target and options never change. */
  private final DecodedCache<DeploymentRecord, Mapping.Definition> definitions =
      new DecodedCache<>(
          Mapping::definition,
          (a, b) -> a.sequence() == b.sequence() && a.created().equals(b.created()));

  private final DecodedCache<DeploymentRecord, Deployment> decodedDeployments =
      new DecodedCache<>(record -> Mapping.deployment(record, definitions.get(record)));

  /**
   * The active dynamic deployments' ids and filters, oldest first, as of a version of the creation
   * counter, which every deployment's creating commit updates. A deployment is active from its
   * creation until it finishes, for good, so the list is complete while the counter stays at that
   * version; it may still hold deployments finished since, which a poll reads and skips. A poll
   * thus matches the device against the filters without reading a dynamic deployment it does not
   * match.
   */
  private volatile DynamicTargets dynamicTargets =
      new DynamicTargets(-1, FilterIndex.of(List.of(), DynamicTarget::filter), null);

  /**
   * {@code oldest} is the oldest deployment listed, null when none is (a record read when the list
   * was made: only its creation, which never changes, is used).
   */
  private record DynamicTargets(
      long counterVersion, FilterIndex<DynamicTarget> targets, @Nullable DeploymentRecord oldest) {}

  private record DynamicTarget(String deploymentId, Filter filter) {}

  private Updraft(UpdraftStore store, Clock clock, Supplier<String> ids, EventListener listener) {
    this.storage = new Storage(store);
    this.clock = clock;
    this.ids = ids;
    this.listener = listener;
  }

  /** An engine over {@code store}; time from {@code clock}, ids random UUIDs, no listener. */
  public static Builder builder(UpdraftStore store) {
    return new Builder(store);
  }

  /** Configures an {@link Updraft}. */
  public static final class Builder {
    private final UpdraftStore store;
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = () -> UUID.randomUUID().toString();
    private EventListener listener = EventListener.none();

    private Builder(UpdraftStore store) {
      this.store = store;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Where new deployment and filter ids come from; ids must be unique and contain no {@code /}.
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = ids;
      return this;
    }

    public Builder listener(EventListener listener) {
      this.listener = listener;
      return this;
    }

    public Updraft build() {
      return new Updraft(store, clock, ids, listener);
    }
  }

  // ---------------------------------------------------------------- devices

  /**
   * Registers a device asking to be admitted [M]: a new device is {@code pending}; a preauthorized
   * device is accepted; any other known device keeps its status. The identity attributes are
   * replaced.
   */
  public Device register(String deviceId, Map<String, AttributeValue> identity) {
    return storage.retrying(
        "register",
        () -> {
          Optional<DeviceRecord> stored = storage.get(RecordType.DEVICE, deviceId);
          Device device =
              stored
                  .map(Mapping::device)
                  .orElseGet(() -> Device.of(deviceId, AdmissionStatus.PENDING))
                  .withAttributes(Scope.IDENTITY, identity);
          if (device.admission() == AdmissionStatus.PREAUTHORIZED) {
            device = device.withAdmission(AdmissionStatus.ACCEPTED);
          }
          return saveDevice(stored, device);
        });
  }

  /** Creates a device admitted in advance [M]; a device with that id is a conflict. */
  public Device preauthorize(String deviceId, Map<String, AttributeValue> identity) {
    Device device =
        Device.of(deviceId, AdmissionStatus.PREAUTHORIZED).withAttributes(Scope.IDENTITY, identity);
    try {
      storage.commit(ChangeSet.create().insert(RecordType.DEVICE, Mapping.record(device, 1)));
    } catch (dev.updraft.spi.StoreConflictException exists) {
      throw new ConflictException("device", deviceId, "exists");
    }
    return device;
  }

  /** Changes a device's admission status (accept, reject, …). */
  public Device setAdmission(String deviceId, AdmissionStatus admission) {
    return updateDevice("set admission", deviceId, device -> device.withAdmission(admission));
  }

  /**
   * Replaces the inventory a device reports [M]. The attributes {@code device_type} and {@code
   * artifact_name} (strings) become the device's state; the others its inventory attributes.
   */
  public Device reportInventory(String deviceId, Map<String, AttributeValue> inventory) {
    Map<String, AttributeValue> rest = new LinkedHashMap<>(inventory);
    Optional<String> type = text(rest.remove(AttributeKey.DEVICE_TYPE.name()), "device_type");
    Optional<String> artifact =
        text(rest.remove(AttributeKey.ARTIFACT_NAME.name()), "artifact_name");
    return updateDevice(
        "report inventory",
        deviceId,
        device -> {
          Device updated = device.withAttributes(Scope.INVENTORY, rest);
          if (type.isPresent() && artifact.isPresent()) {
            Map<String, String> provides =
                device.state().map(DeviceState::provides).orElse(Map.of());
            updated = updated.withState(DeviceState.of(type.get(), artifact.get(), provides));
          }
          return updated;
        });
  }

  /**
   * Records what a device says it runs: device type, artifact name and provides (Mender's {@code
   * device_provides}). Polls do not store the state they carry, so a host calls this when it wants
   * the stored device to follow (e.g. on an inventory update or after a successful update).
   */
  public Device updateState(String deviceId, DeviceState state) {
    return updateDevice("update state", deviceId, device -> device.withState(state));
  }

  /** Replaces the tags users set on a device. */
  public Device setTags(String deviceId, Map<String, AttributeValue> tags) {
    return updateDevice("set tags", deviceId, device -> device.withAttributes(Scope.TAGS, tags));
  }

  /** Puts a device in a static group, moving it out of any other [M]. */
  public Device assignGroup(String deviceId, String group) {
    Device.checkGroupName("group", group);
    return updateDevice("assign group", deviceId, device -> device.inGroup(group));
  }

  /** Takes a device out of its static group. */
  public Device removeFromGroup(String deviceId) {
    return updateDevice("remove from group", deviceId, Device::withoutGroup);
  }

  public Optional<Device> device(String deviceId) {
    return storage.get(RecordType.DEVICE, deviceId).map(Mapping::device);
  }

  /** Devices by id, those matching {@code filter} if given. */
  public ResultPage<Device> devices(Optional<Filter> filter, Optional<String> cursor, int limit) {
    return storage.page(
        Index.DEVICES_BY_ID,
        Index.ALL_PARTITION,
        Mapping::device,
        device -> filter.map(f -> f.matches(device)).orElse(true),
        cursor,
        limit);
  }

  /** The members of a static group, by id. */
  public ResultPage<Device> groupMembers(String group, Optional<String> cursor, int limit) {
    return storage.page(Index.DEVICES_BY_GROUP, group, Mapping::device, d -> true, cursor, limit);
  }

  /** The static groups that have members, by name. Reads every device: a management call. */
  public List<String> groups() {
    TreeSet<String> groups = new TreeSet<>();
    storage
        .scanAll(Index.DEVICES_BY_ID, Index.ALL_PARTITION)
        .forEach(r -> r.group().ifPresent(groups::add));
    return List.copyOf(groups);
  }

  /**
   * Decommissions a device [U]: its open device deployments finish as {@code decommissioned}, the
   * snapshot deployments it never polled count it as decommissioned, and the device is deleted.
   *
   * @throws NotFoundException when the device does not exist
   */
  public void decommission(String deviceId) {
    List<Runnable> events =
        storage.retrying(
            "decommission",
            () -> {
              DeviceRecord device = require(RecordType.DEVICE, "device", deviceId);
              List<DeviceDeploymentRecord> own =
                  storage.scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, deviceId);
              Map<String, DeploymentRecord> deployments = new HashMap<>();
              List<DeviceDeployment> open = new ArrayList<>();
              for (DeviceDeploymentRecord record : own) {
                if (DeviceDeploymentStatus.fromWireName("status", record.status()).isOpen()) {
                  open.add(Mapping.deviceDeployment(record));
                  load(deployments, record.deploymentId());
                }
              }
              List<Deployment> unpolled = new ArrayList<>();
              for (TargetRecord target : storage.scanAll(Index.TARGETS_BY_DEVICE, deviceId)) {
                boolean polled =
                    own.stream().anyMatch(r -> r.deploymentId().equals(target.deploymentId()));
                DeploymentRecord deployment = load(deployments, target.deploymentId());
                if (!polled && deployment.active()) {
                  unpolled.add(decodedDeployments.get(deployment));
                }
              }
              Instant now = clock.instant();
              Outcome outcome =
                  Rollout.decommission(
                      deviceId,
                      open,
                      deployments.values().stream().map(decodedDeployments::get).toList(),
                      unpolled,
                      now);
              Commit commit = new Commit(now);
              commit.apply(outcome, deployments, ownByDeployment(own));
              commit.changes.delete(RecordType.DEVICE, device);
              commit.store();
              return commit.events;
            });
    publish(events);
  }

  // ---------------------------------------------------------------- releases

  /**
   * Adds an artifact to the release of its name, creating the release if needed [M]. Refused with a
   * conflict when it overlaps an artifact of the release or its id is taken.
   */
  public Release addArtifact(Artifact artifact) {
    return storage.retrying(
        "add artifact",
        () -> {
          Optional<ReleaseRecord> stored = storage.get(RecordType.RELEASE, artifact.name());
          ChangeSet changes = ChangeSet.create();
          Release release;
          if (stored.isEmpty()) {
            release = Release.of(artifact);
            changes.insert(RecordType.RELEASE, Mapping.record(release, 1));
          } else {
            release = release(stored.get()).withArtifact(artifact);
            changes.update(RecordType.RELEASE, Mapping.record(release, stored.get().version() + 1));
          }
          changes.insert(
              RecordType.CLAIM, new ClaimRecord(artifactClaim(artifact.id()), 1, artifact.name()));
          try {
            storage.commit(changes);
          } catch (dev.updraft.spi.StoreConflictException conflict) {
            if (conflict.recordType().equals(RecordType.CLAIM.name())) {
              throw new ConflictException(
                  "artifact", artifact.id(), "an artifact with this id exists");
            }
            throw conflict;
          }
          return release;
        });
  }

  /**
   * Removes an artifact [M]; the release goes when its last artifact does.
   *
   * @throws NotFoundException when no release holds the artifact
   * @throws ConflictException when an unfinished deployment deploys its release
   */
  public void removeArtifact(String artifactId) {
    storage.retrying(
        "remove artifact",
        () -> {
          ReleaseRecord stored =
              storage.scanAll(Index.RELEASES_BY_ARTIFACT, artifactId).stream()
                  .findFirst()
                  .orElseThrow(() -> new NotFoundException("artifact", artifactId));
          List<DeploymentRecord> active =
              storage.scanAll(Index.ACTIVE_DEPLOYMENTS_BY_RELEASE, stored.name());
          if (!active.isEmpty()) {
            throw new ConflictException(
                "artifact", artifactId, "unfinished deployment " + active.get(0).id() + " uses it");
          }
          ChangeSet changes = ChangeSet.create();
          Optional<Release> rest = release(stored).withoutArtifact(artifactId);
          if (rest.isPresent()) {
            changes.update(RecordType.RELEASE, Mapping.record(rest.get(), stored.version() + 1));
          } else {
            changes.delete(RecordType.RELEASE, stored);
          }
          storage
              .get(RecordType.CLAIM, artifactClaim(artifactId))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
          storage.commit(changes);
          return null;
        });
  }

  /** The artifact with this id, from the release that holds it. */
  public Optional<Artifact> artifact(String artifactId) {
    return storage.scanAll(Index.RELEASES_BY_ARTIFACT, artifactId).stream()
        .findFirst()
        .flatMap(
            stored ->
                release(stored).artifacts().stream()
                    .filter(a -> a.id().equals(artifactId))
                    .findFirst());
  }

  public Optional<Release> release(String name) {
    return storage.get(RecordType.RELEASE, name).map(this::release);
  }

  /** Releases by name. */
  public ResultPage<Release> releases(Optional<String> cursor, int limit) {
    return storage.page(
        Index.RELEASES_BY_NAME, Index.ALL_PARTITION, this::release, r -> true, cursor, limit);
  }

  /** Replaces a release's tags [M]. */
  public Release tagRelease(String name, List<String> tags) {
    return updateRelease(name, release -> release.withTags(tags));
  }

  /** Replaces a release's notes [M]. */
  public Release annotateRelease(String name, String notes) {
    return updateRelease(name, release -> release.withNotes(notes));
  }

  // ---------------------------------------------------------------- saved filters

  /** Saves a filter under a unique name [M]; a taken name is a conflict. */
  public SavedFilter saveFilter(String name, Filter filter) {
    SavedFilter saved = SavedFilter.of(ids.get(), name, filter);
    try {
      storage.commit(
          ChangeSet.create()
              .insert(RecordType.FILTER, Mapping.record(saved, 1))
              .insert(RecordType.CLAIM, new ClaimRecord(filterClaim(name), 1, saved.id())));
    } catch (dev.updraft.spi.StoreConflictException taken) {
      throw new ConflictException("filter", name, "a filter with this name exists");
    }
    return saved;
  }

  public Optional<SavedFilter> filter(String id) {
    return storage.get(RecordType.FILTER, id).map(Mapping::filter);
  }

  /** Deletes a saved filter; deployments made from it keep their copy. */
  public void deleteFilter(String id) {
    storage.retrying(
        "delete filter",
        () -> {
          FilterRecord filter = require(RecordType.FILTER, "filter", id);
          ChangeSet changes = ChangeSet.create().delete(RecordType.FILTER, filter);
          storage
              .get(RecordType.CLAIM, filterClaim(filter.name()))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
          storage.commit(changes);
          return null;
        });
  }

  /** Saved filters by name. */
  public ResultPage<SavedFilter> filters(Optional<String> cursor, int limit) {
    return storage.page(
        Index.FILTERS_BY_NAME, Index.ALL_PARTITION, Mapping::filter, f -> true, cursor, limit);
  }

  /** The devices a saved filter matches now, by id. */
  public ResultPage<Device> filterMatches(String id, Optional<String> cursor, int limit) {
    SavedFilter filter = filter(id).orElseThrow(() -> new NotFoundException("filter", id));
    return devices(Optional.of(filter.filter()), cursor, limit);
  }

  // ---------------------------------------------------------------- deployments

  /**
   * Creates a deployment [M, seed]; see {@link Deployment#create} for what is refused. A snapshot
   * target is resolved and written in the same commit as the deployment.
   */
  public NewDeployment createDeployment(DeploymentRequest request) {
    NewDeployment created =
        storage.retrying(
            "create deployment",
            () -> {
              Instant now = clock.instant();
              Optional<ReleaseRecord> release =
                  storage.get(RecordType.RELEASE, request.releaseName());
              Optional<CounterRecord> counter = storage.get(RecordType.COUNTER, SEQUENCE);
              long sequence = counter.map(CounterRecord::value).orElse(0L) + 1;
              NewDeployment fresh =
                  Deployment.create(
                      request,
                      release.map(this::release),
                      candidates(request),
                      List.of(),
                      newId(),
                      now,
                      sequence);
              Deployment deployment = fresh.deployment();
              String claim = identityClaim(deployment);
              Optional<ClaimRecord> identical = storage.get(RecordType.CLAIM, claim);
              ChangeSet changes = ChangeSet.create();
              if (identical.isPresent()) {
                Optional<DeploymentRecord> owner =
                    storage.get(RecordType.DEPLOYMENT, identical.get().owner());
                if (owner.isPresent() && owner.get().active()) {
                  throw new ConflictException(
                      "deployment", owner.get().id(), "an identical deployment is active");
                }
                changes.update(
                    RecordType.CLAIM,
                    new ClaimRecord(claim, identical.get().version() + 1, deployment.id()));
              } else {
                changes.insert(RecordType.CLAIM, new ClaimRecord(claim, 1, deployment.id()));
              }
              changes
                  .check(RecordType.RELEASE, release.get())
                  .insert(RecordType.DEPLOYMENT, Mapping.record(deployment));
              if (counter.isPresent()) {
                changes.update(
                    RecordType.COUNTER,
                    new CounterRecord(SEQUENCE, counter.get().version() + 1, sequence));
              } else {
                changes.insert(RecordType.COUNTER, new CounterRecord(SEQUENCE, 1, sequence));
              }
              for (String deviceId : fresh.snapshot()) {
                changes.insert(RecordType.TARGET, new TargetRecord(deployment.id(), deviceId, 1));
              }
              storage.commit(changes);
              return fresh;
            });
    publish(
        List.of(
            () ->
                listener.onEvent(
                    UpdraftEvent.deployment(
                        UpdraftEvent.Kind.DEPLOYMENT_CREATED,
                        created.deployment().id(),
                        created.deployment().created(),
                        ""))));
    LOG.info(
        "created deployment {} of {} to {} devices",
        created.deployment().id(),
        created.deployment().releaseName(),
        created.deployment().target().initialDeviceCount());
    return created;
  }

  public Optional<Deployment> deployment(String id) {
    return storage.get(RecordType.DEPLOYMENT, id).map(decodedDeployments::get);
  }

  /** Deployments, oldest first, those matching {@code query}. */
  public ResultPage<Deployment> deployments(
      DeploymentQuery query, Optional<String> cursor, int limit) {
    Instant now = clock.instant();
    return storage.page(
        Index.DEPLOYMENTS_BY_CREATION,
        Index.ALL_PARTITION,
        decodedDeployments::get,
        d ->
            query.name().map(d.name()::contains).orElse(true)
                && query.createdFrom().map(from -> !d.created().isBefore(from)).orElse(true)
                && query.createdBefore().map(d.created()::isBefore).orElse(true)
                && query.status().map(status -> d.status(now) == status).orElse(true),
        cursor,
        limit);
  }

  /** A deployment's statistics, all 13 keys [M]; O(1). */
  public Statistics statistics(String deploymentId) {
    return decodedDeployments
        .get(require(RecordType.DEPLOYMENT, "deployment", deploymentId))
        .statistics();
  }

  /** A deployment's device deployments in one status, by device id. */
  public ResultPage<DeviceDeployment> deviceDeployments(
      String deploymentId, DeviceDeploymentStatus status, Optional<String> cursor, int limit) {
    return storage.page(
        Index.DEVICE_DEPLOYMENTS_BY_STATUS,
        deploymentId + "/" + status.wireName(),
        Mapping::deviceDeployment,
        r -> true,
        cursor,
        limit);
  }

  /** The device deployment of one device in one deployment. */
  public Optional<DeviceDeployment> deviceDeployment(String deploymentId, String deviceId) {
    return storage
        .get(RecordType.DEVICE_DEPLOYMENT, DeviceDeploymentRecord.keyOf(deploymentId, deviceId))
        .map(Mapping::deviceDeployment);
  }

  /** A device's device deployments, oldest deployment first. */
  public ResultPage<DeviceDeployment> history(String deviceId, Optional<String> cursor, int limit) {
    return storage.page(
        Index.DEVICE_DEPLOYMENTS_BY_DEVICE,
        deviceId,
        Mapping::deviceDeployment,
        r -> true,
        cursor,
        limit);
  }

  /**
   * Aborts a deployment [M]: open device deployments become aborted, devices that never polled
   * never get it.
   *
   * @throws NotFoundException when it does not exist
   * @throws dev.updraft.core.IllegalTransitionException when it has finished
   */
  public Deployment abort(String deploymentId) {
    return finish("abort", deploymentId);
  }

  /** Stops a dynamic deployment [M]: finishes it as {@link #abort} does. */
  public Deployment stop(String deploymentId) {
    DeploymentRecord record = require(RecordType.DEPLOYMENT, "deployment", deploymentId);
    if (!record.targetKind().equals(TargetKind.DYNAMIC.name())) {
      throw new InvalidInputException(
          "deployment", deploymentId, "is not dynamic: abort it instead");
    }
    return finish("stop", deploymentId);
  }

  private Deployment finish(String operation, String deploymentId) {
    Commit done =
        storage.retrying(
            operation,
            () -> {
              DeploymentRecord record = require(RecordType.DEPLOYMENT, "deployment", deploymentId);
              Map<String, DeviceDeploymentRecord> open = new HashMap<>();
              openRecords(deploymentId).forEach(r -> open.put(r.key(), r));
              Instant now = clock.instant();
              Outcome outcome =
                  Rollout.abort(
                      decodedDeployments.get(record),
                      open.values().stream().map(Mapping::deviceDeployment).toList(),
                      now);
              Map<String, DeploymentRecord> deployments =
                  new HashMap<>(Map.of(deploymentId, record));
              Commit commit = new Commit(now);
              commit.apply(outcome, deployments, open);
              commit.store();
              return commit;
            });
    publish(done.events);
    return done.deployments.get(0);
  }

  /**
   * Pauses a deployment [U]: no new device starts; devices already in progress continue.
   *
   * @throws NotFoundException when it does not exist
   * @throws dev.updraft.core.IllegalTransitionException when it has finished
   */
  public Deployment pause(String deploymentId) {
    return change("pause", deploymentId, Deployment::pause);
  }

  /**
   * Resumes a paused deployment [U], its guard counting afresh.
   *
   * @throws NotFoundException when it does not exist
   * @throws dev.updraft.core.IllegalTransitionException when it has finished
   */
  public Deployment resume(String deploymentId) {
    return change("resume", deploymentId, Deployment::resume);
  }

  private Deployment change(String operation, String deploymentId, UnaryOperator<Deployment> how) {
    Commit done =
        storage.retrying(
            operation,
            () -> {
              DeploymentRecord record = require(RecordType.DEPLOYMENT, "deployment", deploymentId);
              Deployment changed = how.apply(decodedDeployments.get(record));
              Commit commit = new Commit(clock.instant());
              commit.apply(
                  Outcome.of(List.of(changed), List.of()),
                  new HashMap<>(Map.of(deploymentId, record)),
                  Map.of());
              commit.store();
              return commit;
            });
    publish(done.events);
    return done.deployments.get(0);
  }

  /**
   * Fails open device deployments whose progress deadline has passed [U], with substatus {@code
   * timed out} (retries apply), reading only the deadline index: at most {@code limit} records,
   * most overdue first, each in its own commit. Returns how many timed out; a host calls it on its
   * own schedule, and again at once while it returns {@code limit}.
   */
  public int sweepTimeouts(int limit) {
    ResultPage<DeviceDeploymentRecord> due =
        storage.page(
            Index.DEVICE_DEPLOYMENTS_BY_DEADLINE,
            Index.ALL_PARTITION,
            r -> r,
            r -> true,
            Optional.empty(),
            limit);
    Instant now = clock.instant();
    int timedOut = 0;
    for (DeviceDeploymentRecord candidate : due.items()) {
      if (candidate.deadline().orElseThrow().isAfter(now)) {
        break;
      }
      Optional<Commit> done =
          storage.retrying(
              "time out",
              () -> {
                Optional<DeviceDeploymentRecord> record =
                    storage.get(RecordType.DEVICE_DEPLOYMENT, candidate.key());
                Instant at = clock.instant();
                if (record.isEmpty() || !Mapping.deviceDeployment(record.get()).isOverdue(at)) {
                  return Optional.empty(); // reported, or swept by another node, meanwhile
                }
                DeploymentRecord deployment =
                    require(RecordType.DEPLOYMENT, "deployment", candidate.deploymentId());
                Outcome outcome =
                    Rollout.timeout(
                        decodedDeployments.get(deployment),
                        Mapping.deviceDeployment(record.get()),
                        at);
                Commit commit = new Commit(at);
                commit.apply(
                    outcome,
                    new HashMap<>(Map.of(deployment.id(), deployment)),
                    Map.of(record.get().key(), record.get()));
                commit.store();
                return Optional.of(commit);
              });
      if (done.isPresent()) {
        timedOut++;
        publish(done.get().events);
      }
    }
    return timedOut;
  }

  /**
   * Stores the log a device uploaded for its device deployment, replacing the previous one [M].
   *
   * @throws NotFoundException when the device deployment does not exist
   */
  public void uploadLog(String deploymentId, String deviceId, DeploymentLog log) {
    storage.retrying(
        "upload log",
        () -> {
          DeviceDeploymentRecord record = requireDeviceDeployment(deploymentId, deviceId);
          Optional<LogRecord> previous = storage.get(RecordType.LOG, record.key());
          ChangeSet changes = ChangeSet.create();
          if (previous.isPresent()) {
            changes.update(
                RecordType.LOG,
                Mapping.record(deploymentId, deviceId, log, previous.get().version() + 1));
          } else {
            changes.insert(RecordType.LOG, Mapping.record(deploymentId, deviceId, log, 1));
          }
          if (!record.logAvailable()) {
            changes.update(
                RecordType.DEVICE_DEPLOYMENT,
                Mapping.record(
                    Mapping.deviceDeployment(record).withLogAvailable(), record.version() + 1));
          }
          storage.commit(changes);
          return null;
        });
  }

  public Optional<DeploymentLog> log(String deploymentId, String deviceId) {
    return storage
        .get(RecordType.LOG, DeviceDeploymentRecord.keyOf(deploymentId, deviceId))
        .map(Mapping::log);
  }

  // ---------------------------------------------------------------- device side

  /**
   * A device asks for its next update [M]; see {@link Rollout#poll}. Reads the device, the snapshot
   * deployments that target it, the active dynamic ones and its own device deployments from the
   * oldest active one of those on (none when none is active): never all deployments or all devices.
   * Dynamic deployments whose filter the device does not match are left out before the decision
   * (neither they nor their releases are read), so the decision's verdicts do not list them; {@link
   * #explain} does.
   */
  public PollDecision poll(String deviceId, DeviceState state) {
    Commit[] done = new Commit[1];
    PollDecision decision =
        storage.retrying(
            "poll",
            () -> {
              Optional<Device> device =
                  storage.get(RecordType.DEVICE, deviceId).map(Mapping::device);
              if (device.isEmpty() || !device.get().isAccepted()) {
                return Rollout.poll(device, state, List.of(), List.of(), clock.instant());
              }
              Map<String, DeploymentRecord> deployments = new LinkedHashMap<>();
              List<String> targeting = new ArrayList<>();
              for (TargetRecord target : storage.scanAll(Index.TARGETS_BY_DEVICE, deviceId)) {
                targeting.add(target.deploymentId());
                load(deployments, target.deploymentId());
              }
              Device polling = device.get().withState(state);
              DynamicTargets dynamic = dynamicTargets();
              for (DynamicTarget matching : dynamic.targets().matching(polling)) {
                load(deployments, matching.deploymentId());
              }
              // A record is open only in an active deployment that targets the device or is
              // dynamic, and a record older than every candidate changes no decision: the device's
              // history before the oldest of those deployments is not read (it can be long), and
              // none is read when none is active (a fleet's usual poll: its deployments finished).
              DeploymentRecord oldest = dynamic.oldest();
              for (DeploymentRecord record : deployments.values()) {
                if (record.active()
                    && (oldest == null || OLDEST_FIRST.compare(record, oldest) < 0)) {
                  oldest = record;
                }
              }
              List<DeviceDeploymentRecord> own =
                  oldest == null
                      ? List.of()
                      : storage.scanFrom(
                          Index.DEVICE_DEPLOYMENTS_BY_DEVICE,
                          deviceId,
                          Index.creationOrder(oldest.created(), oldest.sequence()));
              // the decision needs the open records and the newest one (the index's last), so only
              // those are decoded
              List<DeviceDeploymentRecord> relevant = new ArrayList<>();
              for (int i = 0; i < own.size(); i++) {
                DeviceDeploymentRecord record = own.get(i);
                if (DeviceDeploymentStatus.fromWireName("status", record.status()).isOpen()) {
                  load(deployments, record.deploymentId());
                  relevant.add(record);
                } else if (i == own.size() - 1) {
                  relevant.add(record);
                }
              }
              List<DeploymentRecord> active = new ArrayList<>();
              for (DeploymentRecord record : deployments.values()) {
                if (record.active()) {
                  active.add(record);
                }
              }
              active.sort(OLDEST_FIRST);
              // decoded as the decision reads them: it stops at the one it acts on
              List<Candidate> candidates =
                  Lists.transform(
                      active,
                      record -> {
                        Deployment deployment = decodedDeployments.get(record);
                        Release release = requireRelease(deployment.releaseName());
                        return deployment.target().kind().isSnapshot()
                            ? Candidate.snapshot(
                                deployment, release, targeting.contains(record.id()))
                            : Candidate.dynamic(deployment, release);
                      });
              List<DeviceDeployment> records =
                  relevant.stream().map(Mapping::deviceDeployment).toList();
              Instant now = clock.instant(); // after the reads: never before what they saw
              // the device with the polled state: the decision's own withState(state) is then free
              PollDecision made =
                  Rollout.poll(Optional.of(polling), state, records, candidates, now);
              Commit commit = new Commit(now);
              commit.apply(
                  Outcome.of(made.deployment().stream().toList(), made.record().stream().toList()),
                  deployments,
                  ownByDeployment(relevant));
              commit.store();
              done[0] = commit;
              return made;
            });
    if (done[0] != null) {
      publish(done[0].events);
    }
    return decision;
  }

  /**
   * A device reports the status of its device deployment [M]; see {@link Rollout#report}.
   *
   * @throws NotFoundException when the device has no device deployment in that deployment
   */
  public DeviceDeployment report(
      String deviceId, String deploymentId, DeviceDeploymentStatus status, String substatus) {
    Commit done =
        storage.retrying(
            "report",
            () -> {
              DeviceDeploymentRecord record = requireDeviceDeployment(deploymentId, deviceId);
              DeploymentRecord deployment =
                  require(RecordType.DEPLOYMENT, "deployment", deploymentId);
              Instant now = clock.instant();
              Outcome outcome =
                  Rollout.report(
                      decodedDeployments.get(deployment),
                      Mapping.deviceDeployment(record),
                      status,
                      substatus,
                      now);
              Commit commit = new Commit(now);
              commit.apply(
                  outcome,
                  new HashMap<>(Map.of(deploymentId, deployment)),
                  Map.of(record.key(), record));
              commit.store();
              commit.current =
                  outcome.records().isEmpty()
                      ? Mapping.deviceDeployment(record)
                      : outcome.records().get(0);
              return commit;
            });
    publish(done.events);
    return done.current;
  }

  /**
   * Explains what a poll by the device would decide now about every active deployment, and why [U];
   * see {@link Rollout#explain}. Uses {@code state} if given, else the state stored for the device.
   * A management call: reads every deployment.
   *
   * @throws NotFoundException when the device does not exist
   * @throws InvalidInputException when no state is given and none is stored
   */
  public Explanation explain(String deviceId, Optional<DeviceState> state) {
    Device device = device(deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
    DeviceState polling =
        state
            .or(device::state)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "state", null, "is required: device " + deviceId + " never reported one"));
    List<DeviceDeployment> records =
        storage.scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, deviceId).stream()
            .map(Mapping::deviceDeployment)
            .toList();
    List<Candidate> candidates = new ArrayList<>();
    for (DeploymentRecord record :
        storage.scanAll(Index.DEPLOYMENTS_BY_CREATION, Index.ALL_PARTITION)) {
      if (!record.active()) {
        continue;
      }
      Deployment deployment = decodedDeployments.get(record);
      Release release = requireRelease(deployment.releaseName());
      candidates.add(
          deployment.target().kind().isSnapshot()
              ? Candidate.snapshot(
                  deployment,
                  release,
                  storage
                      .get(RecordType.TARGET, DeviceDeploymentRecord.keyOf(record.id(), deviceId))
                      .isPresent())
              : Candidate.dynamic(deployment, release));
    }
    return Rollout.explain(Optional.of(device), polling, records, candidates, clock.instant());
  }

  /**
   * What {@code request} would create, without creating it [U]: the resolved device count, the
   * phase sizes, per device type how many devices no artifact fits, and the active deployments that
   * already target some of the devices. Refused as creation would be (see {@link
   * Deployment#create}), except for an identical active deployment.
   */
  public DeploymentPreview preview(DeploymentRequest request) {
    List<Device> fleet = candidates(request);
    Optional<Release> release = release(request.releaseName());
    NewDeployment trial =
        Deployment.create(request, release, fleet, List.of(), "preview", clock.instant(), 0);
    List<Device> resolved =
        request.targetKind().isSnapshot()
            ? fleet.stream().filter(d -> trial.snapshot().contains(d.id())).toList()
            : fleet.stream()
                .filter(Device::isAccepted)
                .filter(d -> request.filter().get().filter().matches(d))
                .toList();
    Map<String, Long> noArtifact = new TreeMap<>();
    for (Device device : resolved) {
      boolean fits =
          device.state().map(s -> release.get().choose(s).artifact().isPresent()).orElse(false);
      if (!fits) {
        String type = device.state().map(DeviceState::deviceType).orElse("(not reported)");
        noArtifact.merge(type, 1L, Long::sum);
      }
    }
    Map<String, Long> overlapping = new TreeMap<>();
    for (Device device : resolved) {
      for (TargetRecord target : storage.scanAll(Index.TARGETS_BY_DEVICE, device.id())) {
        if (storage
            .get(RecordType.DEPLOYMENT, target.deploymentId())
            .map(DeploymentRecord::active)
            .orElse(false)) {
          overlapping.merge(target.deploymentId(), 1L, Long::sum);
        }
      }
    }
    for (DeploymentRecord dynamic :
        storage.scanAll(Index.ACTIVE_DYNAMIC_DEPLOYMENTS, Index.ALL_PARTITION)) {
      Filter filter = decodedDeployments.get(dynamic).target().filter().get().filter();
      long matching = resolved.stream().filter(filter::matches).count();
      if (matching > 0) {
        overlapping.put(dynamic.id(), matching);
      }
    }
    return DeploymentPreview.builder()
        .devices(resolved.size())
        .addAllPhaseSizes(trial.deployment().capacities())
        .putAllNoCompatibleArtifact(noArtifact)
        .putAllOverlapping(overlapping)
        .build();
  }

  // ---------------------------------------------------------------- internals

  /**
   * The writes of one decision, with the events they will publish: deployments updated (with their
   * identity claim released when they finish) and device deployments inserted or updated.
   */
  private final class Commit {
    final Instant now;
    final ChangeSet changes = ChangeSet.create();
    final List<Runnable> events = new ArrayList<>();
    final List<Deployment> deployments = new ArrayList<>();

    /** The records of {@link #deployments}, in their order. */
    private final List<DeploymentRecord> deploymentRecords = new ArrayList<>();

    DeviceDeployment current;

    Commit(Instant now) {
      this.now = now;
    }

    void apply(
        Outcome outcome,
        Map<String, DeploymentRecord> before,
        Map<String, DeviceDeploymentRecord> recordsBefore) {
      Set<String> written = new HashSet<>();
      for (DeviceDeployment record : outcome.records()) {
        String key = DeviceDeploymentRecord.keyOf(record.deploymentId(), record.deviceId());
        written.add(key);
        write(record, recordsBefore.get(key));
      }
      for (Deployment deployment : outcome.deployments()) {
        DeploymentRecord stored = before.get(deployment.id());
        DeploymentRecord record = Mapping.record(deployment, stored);
        changes.update(RecordType.DEPLOYMENT, record);
        deployments.add(deployment);
        deploymentRecords.add(record);
        announce(decodedDeployments.get(stored), deployment);
        if (stored.active() && deployment.finished().isPresent()) {
          storage
              .get(RecordType.CLAIM, identityClaim(deployment))
              .filter(claim -> claim.owner().equals(deployment.id()))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
        }
        if (!stored.stopped() && deployment.abortedByGuard()) {
          // the guard aborted it: its other open records are aborted in the same commit
          for (DeviceDeploymentRecord open : openRecords(deployment.id())) {
            if (written.add(open.key())) {
              write(
                  Mapping.deviceDeployment(open)
                      .transition(DeviceDeploymentStatus.ABORTED, "", now),
                  open);
            }
          }
        }
      }
    }

    /**
     * Commits the changes. The deployments written stay decoded, as their records decode (the cache
     * would otherwise decode each again at its next read: a deployment's record changes with every
     * start and report in it).
     */
    void store() {
      storage.commit(changes);
      for (int i = 0; i < deployments.size(); i++) {
        decodedDeployments.put(deploymentRecords.get(i), deployments.get(i));
      }
    }

    private void write(DeviceDeployment record, @Nullable DeviceDeploymentRecord stored) {
      Optional<DeviceDeploymentStatus> from = Optional.empty();
      if (stored == null) {
        changes.insert(RecordType.DEVICE_DEPLOYMENT, Mapping.record(record, 1));
      } else {
        changes.update(RecordType.DEVICE_DEPLOYMENT, Mapping.record(record, stored.version() + 1));
        from = Optional.of(DeviceDeploymentStatus.fromWireName("status", stored.status()));
      }
      Optional<DeviceDeploymentStatus> previous = from;
      if (!from.equals(Optional.of(record.status()))) {
        event(
            UpdraftEvent.changed(
                record.deploymentId(), record.deviceId(), previous, record.status(), now));
      }
      boolean timedOut =
          record.substatus().equals(Rollout.TIMED_OUT_SUBSTATUS)
              && (stored == null
                  || !stored.substatus().equals(record.substatus())
                  || !stored.status().equals(record.status().wireName())
                  || stored.attempts() != record.attempts());
      if (timedOut) {
        event(
            UpdraftEvent.builder()
                .kind(UpdraftEvent.Kind.RECORD_TIMED_OUT)
                .deploymentId(record.deploymentId())
                .deviceId(record.deviceId())
                .from(previous)
                .to(record.status())
                .at(now)
                .build());
      }
    }

    /** The deployment events a change from {@code before} to {@code after} makes. */
    private void announce(Deployment before, Deployment after) {
      String id = after.id();
      if (!before.hasStarted() && after.hasStarted()) {
        event(UpdraftEvent.deployment(UpdraftEvent.Kind.DEPLOYMENT_STARTED, id, now, ""));
      }
      if (!after.guardTrip().equals(before.guardTrip())) {
        event(
            UpdraftEvent.deployment(
                UpdraftEvent.Kind.GUARD_TRIGGERED, id, now, after.guardTrip().get().toString()));
      }
      if (!before.paused() && after.paused()) {
        event(UpdraftEvent.deployment(UpdraftEvent.Kind.DEPLOYMENT_PAUSED, id, now, ""));
      }
      if (before.paused() && !after.paused()) {
        event(UpdraftEvent.deployment(UpdraftEvent.Kind.DEPLOYMENT_RESUMED, id, now, ""));
      }
      if (before.isActive() && after.finished().isPresent()) {
        String outcome =
            after.abortedByGuard()
                ? "aborted by its guard"
                : after.stopped() ? "aborted" : "completed";
        event(UpdraftEvent.deployment(UpdraftEvent.Kind.DEPLOYMENT_FINISHED, id, now, outcome));
      }
    }

    private void event(UpdraftEvent event) {
      events.add(() -> listener.onEvent(event));
    }
  }

  /** A deployment's open device deployments. */
  private List<DeviceDeploymentRecord> openRecords(String deploymentId) {
    List<DeviceDeploymentRecord> open = new ArrayList<>();
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      if (status.isOpen()) {
        open.addAll(
            storage.scanAll(
                Index.DEVICE_DEPLOYMENTS_BY_STATUS, deploymentId + "/" + status.wireName()));
      }
    }
    return open;
  }

  private void publish(List<Runnable> events) {
    for (Runnable event : events) {
      try {
        event.run();
      } catch (RuntimeException e) {
        LOG.warn("event listener failed", e);
      }
    }
  }

  private Device saveDevice(Optional<DeviceRecord> stored, Device device) {
    ChangeSet changes = ChangeSet.create();
    if (stored.isEmpty()) {
      changes.insert(RecordType.DEVICE, Mapping.record(device, 1));
    } else {
      changes.update(RecordType.DEVICE, Mapping.record(device, stored.get().version() + 1));
    }
    storage.commit(changes);
    return device;
  }

  private Device updateDevice(
      String operation, String deviceId, java.util.function.UnaryOperator<Device> change) {
    return storage.retrying(
        operation,
        () -> {
          DeviceRecord stored = require(RecordType.DEVICE, "device", deviceId);
          return saveDevice(Optional.of(stored), change.apply(Mapping.device(stored)));
        });
  }

  private Release updateRelease(String name, java.util.function.UnaryOperator<Release> change) {
    return storage.retrying(
        "update release",
        () -> {
          ReleaseRecord stored = require(RecordType.RELEASE, "release", name);
          Release release = change.apply(release(stored));
          storage.commit(
              ChangeSet.create()
                  .update(RecordType.RELEASE, Mapping.record(release, stored.version() + 1)));
          return release;
        });
  }

  /** The devices a request's target draws on: the listed ones, the group's, or the fleet. */
  private List<Device> candidates(DeploymentRequest request) {
    return switch (request.targetKind()) {
      case DEVICE_LIST ->
          request.devices().stream()
              .distinct()
              .map(id -> storage.get(RecordType.DEVICE, id))
              .flatMap(Optional::stream)
              .map(Mapping::device)
              .toList();
      case STATIC_GROUP ->
          storage.scanAll(Index.DEVICES_BY_GROUP, request.group().get()).stream()
              .map(Mapping::device)
              .toList();
      case ALL_DEVICES, DYNAMIC ->
          storage.scanAll(Index.DEVICES_BY_ID, Index.ALL_PARTITION).stream()
              .map(Mapping::device)
              .toList();
    };
  }

  /** See {@link #dynamicTargets}: read afresh only when a deployment was created since. */
  private DynamicTargets dynamicTargets() {
    long counterVersion =
        storage.get(RecordType.COUNTER, SEQUENCE).map(CounterRecord::version).orElse(0L);
    DynamicTargets known = dynamicTargets;
    if (known.counterVersion() != counterVersion) {
      // the counter is read first: a deployment created after it is at worst listed early
      List<DeploymentRecord> active =
          storage.scanAll(Index.ACTIVE_DYNAMIC_DEPLOYMENTS, Index.ALL_PARTITION);
      List<DynamicTarget> targets = new ArrayList<>();
      for (DeploymentRecord record : active) {
        targets.add(
            new DynamicTarget(
                record.id(), definitions.get(record).target().filter().get().filter()));
      }
      known =
          new DynamicTargets(
              counterVersion,
              FilterIndex.of(targets, DynamicTarget::filter),
              active.isEmpty() ? null : active.get(0));
      dynamicTargets = known;
    }
    return known;
  }

  private DeploymentRecord load(Map<String, DeploymentRecord> loaded, String deploymentId) {
    return loaded.computeIfAbsent(
        deploymentId, id -> require(RecordType.DEPLOYMENT, "deployment", id));
  }

  private static Map<String, DeviceDeploymentRecord> ownByDeployment(
      List<DeviceDeploymentRecord> own) {
    Map<String, DeviceDeploymentRecord> byKey = new HashMap<>();
    own.forEach(r -> byKey.put(r.key(), r));
    return byKey;
  }

  private Release requireRelease(String name) {
    return release(require(RecordType.RELEASE, "release", name));
  }

  /** The release of a record, decoded once per stored version. */
  private Release release(ReleaseRecord record) {
    return decodedReleases.get(record);
  }

  private <R extends dev.updraft.spi.StoredRecord> R require(
      RecordType<R> type, String kind, String key) {
    return storage.get(type, key).orElseThrow(() -> new NotFoundException(kind, key));
  }

  private DeviceDeploymentRecord requireDeviceDeployment(String deploymentId, String deviceId) {
    return require(
        RecordType.DEVICE_DEPLOYMENT,
        "device deployment",
        DeviceDeploymentRecord.keyOf(deploymentId, deviceId));
  }

  private String newId() {
    String id = ids.get();
    if (id.contains("/")) {
      throw new IllegalStateException("generated id contains '/': " + id);
    }
    return id;
  }

  private static Optional<String> text(AttributeValue value, String field) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isList() || value.texts().isEmpty()) {
      throw new InvalidInputException(field, value, "must be a string");
    }
    return Optional.of(value.texts().get(0));
  }

  private static String artifactClaim(String artifactId) {
    return "artifact:" + artifactId;
  }

  private static String filterClaim(String name) {
    return "filter-name:" + name;
  }

  /** The claim an active deployment holds on its identity: name, release, targets, options [M]. */
  private static String identityClaim(Deployment deployment) {
    String identity =
        String.join(
            "\n",
            deployment.name(),
            deployment.releaseName(),
            deployment.target().fingerprint(),
            deployment.options().toString());
    return "deployment:" + Hashing.sha256().hashString(identity, StandardCharsets.UTF_8);
  }
}
