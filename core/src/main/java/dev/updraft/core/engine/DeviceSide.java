package dev.updraft.core.engine;

import com.google.common.collect.Lists;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Candidate;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.LogRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.TargetRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What devices do: poll for their next update, report its status, upload its log. */
final class DeviceSide {
  private final Context context;
  private final Storage storage;
  private final DynamicTargets dynamicTargets;

  DeviceSide(Context context) {
    this.context = context;
    this.storage = context.storage;
    this.dynamicTargets = new DynamicTargets(context);
  }

  PollDecision poll(String deviceId, DeviceState state) {
    Commit[] done = new Commit[1];
    List<DeploymentRecord> unsettled = new ArrayList<>();
    PollDecision decision =
        storage.retrying(
            "poll",
            () -> {
              done[0] = null;
              unsettled.clear();
              Optional<Device> device =
                  storage.get(RecordType.DEVICE, deviceId).map(Mapping::device);
              if (device.isEmpty() || !device.get().isAccepted()) {
                return Rollout.poll(device, state, List.of(), List.of(), context.clock.instant());
              }
              Device polling = device.get().withState(state);
              Map<String, StoredDeployment> deployments = new LinkedHashMap<>();
              List<String> targeting = new ArrayList<>();
              for (TargetRecord target : storage.scanAll(Index.TARGETS_BY_DEVICE, deviceId)) {
                targeting.add(target.deploymentId());
                context.load(deployments, target.deploymentId());
              }
              DynamicTargets.Snapshot dynamic = dynamicTargets.current();
              for (DynamicTargets.Target matching : dynamic.matching(polling)) {
                context.load(deployments, matching.deploymentId());
              }
              List<DeviceDeploymentRecord> relevant =
                  relevantHistory(deviceId, deployments, dynamic.oldest());
              List<Candidate> candidates = candidates(deployments, targeting);
              List<DeviceDeployment> records =
                  relevant.stream().map(Mapping::deviceDeployment).toList();
              Instant now = context.clock.instant(); // after the reads: never before what they saw
              // the device with the polled state: the decision's own withState(state) is then free
              PollDecision made =
                  Rollout.poll(Optional.of(polling), state, records, candidates, now);
              noRecordPastClosed(deviceId, made);
              unsettled.addAll(unsettled(deployments.values(), made, now));
              done[0] =
                  new Commit(context, now)
                      .apply(
                          Outcome.of(
                              made.deployment().stream().toList(), made.record().stream().toList()),
                          deployments,
                          Devices.byKey(relevant))
                      .store();
              return made;
            });
    if (done[0] != null) {
      done[0].publish();
    }
    unsettled.forEach(record -> Commit.review(context, record));
    return decision;
  }

  /**
   * The deployments this poll's decision read whose counts call for a finish or a guard trip their
   * record does not show yet, which the poll did not commit itself: a node that stopped between a
   * commit and its review (see {@link Commit#publish}) left them so, and the next poll of any of
   * their devices settles them.
   */
  private static List<DeploymentRecord> unsettled(
      Collection<StoredDeployment> read, PollDecision made, Instant now) {
    List<DeploymentRecord> unsettled = new ArrayList<>();
    for (StoredDeployment stored : read) {
      Optional<Deployment> decoded = stored.decoded();
      if (decoded.isPresent()
          && decoded.get().isActive()
          && made.deployment().map(d -> !d.id().equals(stored.record.id())).orElse(true)
          && decoded.get().review(now) != decoded.get()) {
        unsettled.add(stored.record);
      }
    }
    return unsettled;
  }

  /**
   * Refuses (as a conflict, which the retry reads afresh) a decision that makes a record past an
   * older deployment it skipped as full or its phase not open, when the device has a record there
   * after all. A store that reads each call afresh (PostgreSQL at read committed) may show a later
   * read a commit an earlier one missed: the counts, read after the device's history, may count
   * this device's hand-out by a concurrent poll whose record the history missed, so that the
   * deployment looks closed to its own device and the poll would hand out a newer one. Read after
   * the counts, the device's record shows any hand-out they count; one committed later is not in
   * them, so it cannot be what closed the deployment. Only such a decision pays the read: most skip
   * no deployment on its counts.
   *
   * @param deviceId the polling device
   * @param made the decision
   * @throws StoreConflictException when the device has a record in a deployment the decision
   *     skipped on its counts
   */
  private void noRecordPastClosed(String deviceId, PollDecision made) {
    if (made.record().isEmpty()) {
      return;
    }
    for (Verdict skipped : made.verdicts()) {
      if (skipped.reason() == Reason.FULL || skipped.reason() == Reason.PHASE_NOT_OPEN) {
        String key = DeviceDeploymentRecord.keyOf(skipped.deploymentId(), deviceId);
        if (storage.get(RecordType.DEVICE_DEPLOYMENT, key).isPresent()) {
          throw new StoreConflictException(
              RecordType.DEVICE_DEPLOYMENT,
              key,
              "the device's history missed it, its deployment's counts did not");
        }
      }
    }
  }

  /**
   * The device's records a poll's decision needs: the open ones (whose deployments join {@code
   * deployments}) and the newest. A record is open only in an active deployment that targets the
   * device or is dynamic, and a record older than every candidate changes no decision: the device's
   * history before the oldest of those deployments is not read (it can be long), and none is read
   * when none is active (a fleet's usual poll: its deployments finished).
   *
   * @param deviceId the device's id
   * @param deployments the deployments
   */
  private List<DeviceDeploymentRecord> relevantHistory(
      String deviceId,
      Map<String, StoredDeployment> deployments,
      @Nullable DeploymentRecord oldestDynamic) {
    DeploymentRecord oldest = oldestDynamic;
    for (StoredDeployment stored : deployments.values()) {
      DeploymentRecord record = stored.record;
      if (record.active() && (oldest == null || Context.OLDEST_FIRST.compare(record, oldest) < 0)) {
        oldest = record;
      }
    }
    if (oldest == null) {
      return List.of();
    }
    List<DeviceDeploymentRecord> own =
        storage.scanFrom(
            Index.DEVICE_DEPLOYMENTS_BY_DEVICE,
            deviceId,
            Index.creationOrder(oldest.created(), oldest.sequence()));
    // only the open records and the newest one (the index's last) are decoded
    List<DeviceDeploymentRecord> relevant = new ArrayList<>();
    for (int i = 0; i < own.size(); i++) {
      DeviceDeploymentRecord record = own.get(i);
      if (Mapping.status(record).isOpen()) {
        context.load(deployments, record.deploymentId());
        relevant.add(record);
      } else if (i == own.size() - 1) {
        relevant.add(record);
      }
    }
    return relevant;
  }

  /**
   * The active ones of {@code deployments}, oldest first, decoded as the decision reads them.
   *
   * @param deployments the deployments
   */
  private List<Candidate> candidates(
      Map<String, StoredDeployment> deployments, List<String> targeting) {
    List<StoredDeployment> active = new ArrayList<>();
    for (StoredDeployment stored : deployments.values()) {
      if (stored.record.active()) {
        active.add(stored);
      }
    }
    active.sort((a, b) -> Context.OLDEST_FIRST.compare(a.record, b.record));
    // a lazy view: the decision stops at the deployment it acts on, reading no further release
    return Lists.transform(
        active,
        stored -> {
          Deployment deployment = stored.deployment();
          Release release = context.requireRelease(deployment.releaseName());
          return deployment.target().kind().isSnapshot()
              ? Candidate.snapshot(deployment, release, targeting.contains(deployment.id()))
              : Candidate.dynamic(deployment, release);
        });
  }

  DeviceDeployment report(
      String deviceId, String deploymentId, DeviceDeploymentStatus status, String substatus) {
    DeviceDeployment[] current = new DeviceDeployment[1];
    Commit done =
        storage.retrying(
            "report",
            () -> {
              DeviceDeploymentRecord record =
                  context.requireDeviceDeployment(deploymentId, deviceId);
              StoredDeployment deployment = context.requireStored(deploymentId);
              Instant now = context.clock.instant();
              Outcome outcome =
                  Rollout.report(
                      deployment.deployment(),
                      Mapping.deviceDeployment(record),
                      status,
                      substatus,
                      now);
              current[0] =
                  outcome.records().isEmpty()
                      ? Mapping.deviceDeployment(record)
                      : outcome.records().get(0);
              return new Commit(context, now)
                  .apply(outcome, Map.of(deploymentId, deployment), Map.of(record.key(), record))
                  .store();
            });
    done.publish();
    return current[0];
  }

  Explanation explain(String deviceId, Optional<DeviceState> state) {
    Device device =
        storage
            .get(RecordType.DEVICE, deviceId)
            .map(Mapping::device)
            .orElseThrow(() -> new NotFoundException("device", deviceId));
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
      Deployment deployment = context.deployment(record);
      Release release = context.requireRelease(deployment.releaseName());
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
    return Rollout.explain(
        Optional.of(device), polling, records, candidates, context.clock.instant());
  }

  void uploadLog(String deploymentId, String deviceId, DeploymentLog log) {
    storage.retrying(
        "upload log",
        () -> {
          DeviceDeploymentRecord record = context.requireDeviceDeployment(deploymentId, deviceId);
          Optional<LogRecord> previous = storage.get(RecordType.LOG, record.key());
          ChangeSet changes = ChangeSet.create();
          if (previous.isPresent()) {
            changes.update(
                RecordType.LOG,
                previous.get(),
                Mapping.record(deploymentId, deviceId, log, previous.get().version() + 1));
          } else {
            changes.insert(RecordType.LOG, Mapping.record(deploymentId, deviceId, log, 1));
          }
          if (!record.logAvailable()) {
            changes.update(
                RecordType.DEVICE_DEPLOYMENT,
                record,
                Mapping.record(
                    Mapping.deviceDeployment(record).withLogAvailable(), record.version() + 1));
          }
          storage.commit(changes);
          return null;
        });
  }

  Optional<DeploymentLog> log(String deploymentId, String deviceId) {
    return storage
        .get(RecordType.LOG, DeviceDeploymentRecord.keyOf(deploymentId, deviceId))
        .map(Mapping::log);
  }
}
