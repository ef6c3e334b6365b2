package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.TargetKind;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.group.Filter;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.ReleaseRecord;
import dev.updraft.spi.TargetRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments: creation (with its identity claim and, for a snapshot target, the resolved devices
 * in the same commit), listings, abort, stop, pause, resume and the progress-timeout sweep.
 */
final class Deployments {
  private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);

  private final Context context;
  private final Storage storage;

  Deployments(Context context) {
    this.context = context;
    this.storage = context.storage;
  }

  NewDeployment create(DeploymentRequest request) {
    Created created = storage.retrying("create deployment", () -> createOnce(request));
    Deployment deployment = created.deployment().deployment();
    context.publish(List.of(() -> context.listener.onEvent(created.event())));
    LOG.info(
        "created deployment {} of {} to {} devices",
        deployment.id(),
        deployment.releaseName(),
        deployment.target().initialDeviceCount());
    return created.deployment();
  }

  /** A deployment as created, and the event its commit appended. */
  private record Created(NewDeployment deployment, UpdraftEvent event) {}

  private Created createOnce(DeploymentRequest request) {
    Instant now = context.clock.instant();
    Optional<ReleaseRecord> release = storage.get(RecordType.RELEASE, request.releaseName());
    Optional<CounterRecord> counter = storage.get(RecordType.COUNTER, Context.SEQUENCE);
    long sequence = counter.map(CounterRecord::value).orElse(0L) + 1;
    NewDeployment fresh =
        Deployment.create(
            request,
            release.map(context::release),
            candidates(request),
            List.of(),
            context.newId(),
            now,
            sequence);
    Deployment deployment = fresh.deployment();
    String claim = IdentityClaims.key(deployment);
    Optional<ClaimRecord> identical = storage.get(RecordType.CLAIM, claim);
    // a deployment created before v1 keys still claims its identity under the legacy key
    refuseIfActive(storage.get(RecordType.CLAIM, IdentityClaims.legacyKey(deployment)));
    ChangeSet changes = ChangeSet.create();
    if (identical.isPresent()) {
      refuseIfActive(identical);
      changes.update(
          RecordType.CLAIM,
          identical.get(),
          new ClaimRecord(claim, identical.get().version() + 1, deployment.id()));
    } else {
      changes.insert(RecordType.CLAIM, new ClaimRecord(claim, 1, deployment.id()));
    }
    changes
        .check(RecordType.RELEASE, release.get())
        .insert(RecordType.DEPLOYMENT, Mapping.record(deployment, Context.STRIPES));
    if (counter.isPresent()) {
      changes.update(
          RecordType.COUNTER,
          counter.get(),
          new CounterRecord(Context.SEQUENCE, counter.get().version() + 1, sequence));
    } else {
      changes.insert(RecordType.COUNTER, new CounterRecord(Context.SEQUENCE, 1, sequence));
    }
    for (String deviceId : fresh.snapshot()) {
      changes.insert(RecordType.TARGET, new TargetRecord(deployment.id(), deviceId, 1));
    }
    UpdraftEvent event =
        UpdraftEvent.deployment(
            UpdraftEvent.Kind.DEPLOYMENT_CREATED, deployment.id(), deployment.created(), "");
    changes.append(Mapping.record(event));
    storage.commit(changes);
    return new Created(fresh, event);
  }

  /** Refuses a creation whose identity {@code claim}'s owner is active. */
  private void refuseIfActive(Optional<ClaimRecord> claim) {
    if (claim.isEmpty()) {
      return;
    }
    Optional<DeploymentRecord> owner = storage.get(RecordType.DEPLOYMENT, claim.get().owner());
    if (owner.isPresent() && owner.get().active()) {
      throw new ConflictException(
          "deployment", owner.get().id(), "an identical deployment is active");
    }
  }

  /**
   * The devices a request's target draws on: the listed ones, the group's, or the fleet.
   *
   * @param request what to create: name, release, target, options
   */
  List<Device> candidates(DeploymentRequest request) {
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

  Optional<Deployment> deployment(String id) {
    return storage.get(RecordType.DEPLOYMENT, id).map(context::deployment);
  }

  ResultPage<Deployment> deployments(DeploymentQuery query, PageRequest page) {
    Instant now = context.clock.instant();
    return storage.page(
        Index.DEPLOYMENTS_BY_CREATION,
        Index.ALL_PARTITION,
        context::deployment,
        d ->
            query.name().map(d.name()::contains).orElse(true)
                && (query.ids().isEmpty() || query.ids().contains(d.id()))
                && (query.names().isEmpty() || query.names().contains(d.name()))
                && query.createdFrom().map(from -> !d.created().isBefore(from)).orElse(true)
                && query.createdBefore().map(d.created()::isBefore).orElse(true)
                && query.status().map(status -> d.status(now) == status).orElse(true),
        page);
  }

  DeploymentStatus status(String deploymentId) {
    return require(deploymentId).status(context.clock.instant());
  }

  Deployment require(String deploymentId) {
    return context.deployment(context.requireDeployment(deploymentId));
  }

  ResultPage<DeviceDeployment> deviceDeployments(
      String deploymentId, DeviceDeploymentStatus status, PageRequest page) {
    return storage.page(
        Index.DEVICE_DEPLOYMENTS_BY_STATUS,
        Mapping.statusPartition(deploymentId, status),
        Mapping::deviceDeployment,
        r -> true,
        page);
  }

  /**
   * Every status's partition in turn, in the enum's order; the cursor is the status's wire name, a
   * space, and the cursor within its partition (empty to start the partition).
   *
   * @param deploymentId the deployment's id
   * @param page which page: the first, or the one after a cursor
   */
  ResultPage<DeviceDeployment> deviceDeployments(String deploymentId, PageRequest page) {
    DeviceDeploymentStatus[] statuses = DeviceDeploymentStatus.values();
    int from = 0;
    Optional<String> within = Optional.empty();
    if (page.cursor().isPresent()) {
      String cursor = page.cursor().get();
      int space = cursor.indexOf(' ');
      if (space < 0) {
        throw new InvalidInputException("cursor", cursor, "is not a cursor of this listing");
      }
      from = DeviceDeploymentStatus.fromWireName("cursor", cursor.substring(0, space)).ordinal();
      String rest = cursor.substring(space + 1);
      within = rest.isEmpty() ? Optional.empty() : Optional.of(rest);
    }
    List<DeviceDeployment> items = new ArrayList<>();
    for (int i = from; i < statuses.length; i++) {
      int room = page.limit() - items.size();
      PageRequest part =
          within.isPresent() ? PageRequest.after(within.get(), room) : PageRequest.first(room);
      ResultPage<DeviceDeployment> found = deviceDeployments(deploymentId, statuses[i], part);
      items.addAll(found.items());
      within = Optional.empty();
      if (items.size() == page.limit()) {
        Optional<String> next =
            found.next().isPresent()
                ? Optional.of(statuses[i].wireName() + " " + found.next().get())
                : i + 1 < statuses.length
                    ? Optional.of(statuses[i + 1].wireName() + " ")
                    : Optional.empty();
        return ResultPage.of(items, next);
      }
    }
    return ResultPage.of(items, Optional.empty());
  }

  Optional<DeviceDeployment> deviceDeployment(String deploymentId, String deviceId) {
    return storage
        .get(RecordType.DEVICE_DEPLOYMENT, DeviceDeploymentRecord.keyOf(deploymentId, deviceId))
        .map(Mapping::deviceDeployment);
  }

  ResultPage<DeviceDeployment> history(String deviceId, PageRequest page) {
    return storage.page(
        Index.DEVICE_DEPLOYMENTS_BY_DEVICE, deviceId, Mapping::deviceDeployment, r -> true, page);
  }

  Deployment abort(String deploymentId) {
    return finish("abort", deploymentId);
  }

  Deployment stop(String deploymentId) {
    DeploymentRecord record = context.requireDeployment(deploymentId);
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
              StoredDeployment stored = context.requireStored(deploymentId);
              // the counts before the open records: a report committed after this read changes a
              // stripe, which the abort's commit checks; one committed before it is in the scans
              Deployment counted = stored.deployment();
              Map<String, DeviceDeploymentRecord> open =
                  Devices.byKey(context.openRecords(deploymentId));
              Instant now = context.clock.instant();
              Outcome outcome =
                  Rollout.abort(
                      counted, open.values().stream().map(Mapping::deviceDeployment).toList(), now);
              return new Commit(context, now)
                  .apply(outcome, Map.of(deploymentId, stored), open)
                  .store();
            });
    done.publish();
    return done.deployments().get(0);
  }

  Deployment change(String operation, String deploymentId, UnaryOperator<Deployment> how) {
    Commit done =
        storage.retrying(
            operation,
            () -> {
              StoredDeployment stored = context.requireStored(deploymentId);
              Deployment changed = how.apply(stored.deployment());
              return new Commit(context, context.clock.instant())
                  .apply(
                      Outcome.of(List.of(changed), List.of()),
                      Map.of(deploymentId, stored),
                      Map.of())
                  .store();
            });
    done.publish();
    return done.deployments().get(0);
  }

  int sweepTimeouts(int limit) {
    ResultPage<DeviceDeploymentRecord> due =
        storage.page(
            Index.DEVICE_DEPLOYMENTS_BY_DEADLINE,
            Index.ALL_PARTITION,
            r -> r,
            r -> true,
            PageRequest.first(limit));
    Instant now = context.clock.instant();
    int timedOut = 0;
    for (DeviceDeploymentRecord candidate : due.items()) {
      if (candidate.deadline().orElseThrow().isAfter(now)) {
        break;
      }
      Optional<Commit> done = storage.retrying("time out", () -> timeOut(candidate));
      if (done.isPresent()) {
        timedOut++;
        done.get().publish();
      }
    }
    return timedOut;
  }

  private Optional<Commit> timeOut(DeviceDeploymentRecord candidate) {
    Optional<DeviceDeploymentRecord> record =
        storage.get(RecordType.DEVICE_DEPLOYMENT, candidate.key());
    Instant at = context.clock.instant();
    if (record.isEmpty() || !Mapping.deviceDeployment(record.get()).isOverdue(at)) {
      return Optional.empty(); // reported, or swept by another node, meanwhile
    }
    StoredDeployment deployment = context.requireStored(candidate.deploymentId());
    Outcome outcome =
        Rollout.timeout(deployment.deployment(), Mapping.deviceDeployment(record.get()), at);
    return Optional.of(
        new Commit(context, at)
            .apply(
                outcome,
                Map.of(candidate.deploymentId(), deployment),
                Map.of(record.get().key(), record.get()))
            .store());
  }

  DeploymentPreview preview(DeploymentRequest request) {
    List<Device> fleet = candidates(request);
    Optional<Release> release =
        storage.get(RecordType.RELEASE, request.releaseName()).map(context::release);
    NewDeployment trial =
        Deployment.create(
            request, release, fleet, List.of(), "preview", context.clock.instant(), 0);
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
      Filter filter = context.definitions.get(dynamic).target().filter().get().filter();
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
}
