package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.RecordType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The writes of one decision, with the events they make: deployments updated (with their identity
 * claim released when they finish) and device deployments inserted or updated. Made and stored
 * inside one attempt of {@link Storage#retrying}; its events are appended to the feed in the same
 * commit, and given to the listener after it.
 */
final class Commit {
  private final Context context;
  private final Instant now;
  private final ChangeSet changes = ChangeSet.create();
  private final List<Runnable> events = new ArrayList<>();
  private final List<Deployment> deployments = new ArrayList<>();

  /** The deployments this commit writes. */
  private final List<StoredDeployment> writes = new ArrayList<>();

  /** The deployments to review once this commit is stored (see {@link #publish}). */
  private final List<DeploymentRecord> reviews = new ArrayList<>();

  Commit(Context context, Instant now) {
    this.context = context;
    this.now = now;
  }

  /**
   * Adds the writes of {@code outcome}: {@code before} holds, as read, every deployment it changes,
   * {@code recordsBefore} the stored device deployments it may change, by key (a device deployment
   * absent from it is inserted).
   */
  Commit apply(
      Outcome outcome,
      Map<String, StoredDeployment> before,
      Map<String, DeviceDeploymentRecord> recordsBefore) {
    Set<String> written = new HashSet<>();
    for (DeviceDeployment record : outcome.records()) {
      String key = DeviceDeploymentRecord.keyOf(record.deploymentId(), record.deviceId());
      written.add(key);
      write(record, recordsBefore.get(key));
    }
    for (Deployment deployment : outcome.deployments()) {
      StoredDeployment stored = before.get(deployment.id());
      Deployment previous = stored.deployment();
      StoredDeployment.Written wrote = stored.write(deployment, changes);
      writes.add(stored);
      deployments.add(deployment);
      announce(previous, deployment);
      if (wrote == StoredDeployment.Written.REVIEW) {
        reviews.add(stored.record);
      }
      if (stored.record.active() && deployment.finished().isPresent()) {
        for (String key :
            List.of(IdentityClaims.key(deployment), IdentityClaims.legacyKey(deployment))) {
          context
              .storage
              .get(RecordType.CLAIM, key)
              .filter(claim -> claim.owner().equals(deployment.id()))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
        }
      }
      if (wrote == StoredDeployment.Written.MARKS
          && !stored.record.stopped()
          && deployment.abortedByGuard()) {
        // the guard aborted it: its other open records are aborted in the same commit
        for (DeviceDeploymentRecord open : context.openRecords(deployment.id())) {
          if (written.add(open.key())) {
            write(
                Mapping.deviceDeployment(open).transition(DeviceDeploymentStatus.ABORTED, "", now),
                open);
          }
        }
      }
    }
    return this;
  }

  /** Adds a write of its own to this commit (a device's removal, say). */
  ChangeSet changes() {
    return changes;
  }

  /**
   * Commits the changes. The deployments it wrote stay summed, as their records and stripes now
   * are, and their records become this node's copies.
   */
  Commit store() {
    context.storage.commit(changes);
    for (StoredDeployment stored : writes) {
      stored.committed();
      context.keep(stored.writtenRecord());
    }
    return this;
  }

  /** The deployments this commit wrote, in the order of the outcomes applied. */
  List<Deployment> deployments() {
    return deployments;
  }

  /**
   * Hands this commit's events to the listener, then reviews each deployment whose counts it
   * changed in a way only their sum judges (see {@link StoredDeployment}): the review trips its
   * guard or finishes it, in a commit of its own, when the sum says so. Call once it is stored,
   * outside the operation's attempt (a review's conflict must not repeat the operation).
   */
  void publish() {
    context.publish(events);
    for (DeploymentRecord record : reviews) {
      review(context, record);
    }
  }

  /**
   * Reviews deployment {@code read} as it is stored now (see {@link #publish}). Its first attempt
   * takes the deployment's record as the commit before it read it, and reads its stripes afresh: a
   * review that changes the record checks its version, and one that a stale record misled is
   * retried on a fresh read.
   */
  static void review(Context context, DeploymentRecord read) {
    boolean[] first = {true};
    Commit done =
        context.storage.retrying(
            "review deployment",
            () -> {
              StoredDeployment stored =
                  first[0] ? context.stored(read) : context.requireStored(read.id());
              first[0] = false;
              Deployment deployment = stored.deployment();
              Instant now = context.clock.instant();
              Deployment reviewed = deployment.review(now);
              if (reviewed.equals(deployment)) {
                return null;
              }
              return new Commit(context, now)
                  .apply(
                      Outcome.of(List.of(reviewed), List.of()), Map.of(read.id(), stored), Map.of())
                  .store();
            });
    if (done != null) {
      done.publish();
    }
  }

  private void write(DeviceDeployment record, @Nullable DeviceDeploymentRecord stored) {
    Optional<DeviceDeploymentStatus> from = Optional.empty();
    if (stored == null) {
      changes.insert(RecordType.DEVICE_DEPLOYMENT, Mapping.record(record, 1));
    } else {
      changes.update(
          RecordType.DEVICE_DEPLOYMENT, stored, Mapping.record(record, stored.version() + 1));
      from = Optional.of(Mapping.status(stored));
    }
    if (!from.equals(Optional.of(record.status()))) {
      event(
          UpdraftEvent.changed(
              record.deploymentId(), record.deviceId(), from, record.status(), now));
    }
    boolean timedOut =
        record.substatus().equals(Rollout.TIMED_OUT_SUBSTATUS)
            && (stored == null
                || !stored.substatus().equals(record.substatus())
                || !Mapping.status(stored).equals(record.status())
                || stored.attempts() != record.attempts());
    if (timedOut) {
      event(
          UpdraftEvent.builder()
              .kind(UpdraftEvent.Kind.RECORD_TIMED_OUT)
              .deploymentId(record.deploymentId())
              .deviceId(record.deviceId())
              .from(from)
              .to(record.status())
              .at(now)
              .build());
    }
  }

  /**
   * The deployment events a change from {@code before} to {@code after} makes.
   *
   * @param before the deployment as read
   * @param after the deployment as this commit writes it
   */
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

  /** Appends {@code event} to this commit's feed, and keeps it for the listener. */
  private void event(UpdraftEvent event) {
    changes.append(Mapping.record(event));
    events.add(() -> context.listener.onEvent(event));
  }
}
