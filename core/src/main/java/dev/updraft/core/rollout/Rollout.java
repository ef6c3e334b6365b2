package dev.updraft.core.rollout;

import com.google.common.collect.ImmutableList;
import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.group.Mismatch;
import dev.updraft.core.internal.Builders;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.ArtifactChoice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The pure decisions of the update lifecycle: the poll, a status report, abort, decommission. No
 * storage, no clock: time is a parameter, and each decision returns the values to store.
 */
public final class Rollout {
  /** The substatus of a record failed because the device lost its state mid-update. */
  public static final String STATE_CHANGED_SUBSTATUS = "device state changed mid-update";

  /** The substatus of a record failed because it went too long without a report [U]. */
  public static final String TIMED_OUT_SUBSTATUS = "timed out";

  private static final Comparator<Deployment> OLDEST_FIRST =
      Comparator.comparing(Deployment::created).thenComparingLong(Deployment::sequence);

  private Rollout() {}

  /**
   * Decides what a polling device gets [M, seed, U]:
   *
   * <ol>
   *   <li>an unknown or not-accepted device gets nothing;
   *   <li>a device with an open device deployment continues the oldest one, unless it polls with
   *       another state than on its first poll: then that record fails and the poll is a conflict;
   *   <li>otherwise it gets the oldest candidate created after its newest finished device
   *       deployment for which it is eligible (in the snapshot or matching the filter), skipping
   *       finished, scheduled, paused and full deployments and those whose started phases have no
   *       room;
   *   <li>the device deployment is made in the earliest open phase, and the artifact chosen: none
   *       compatible finishes it as {@code noartifact}; the installed artifact name, unless forced,
   *       as {@code already-installed}; else the device gets instructions.
   * </ol>
   *
   * @param now the time of the decision
   * @param device the device, empty when unknown
   * @param state the state the device polls with
   * @param records the device's device deployments: at least the open ones, and the newest unless
   *     it is older than every candidate
   * @param candidates the active deployments the device might get, oldest first (by creation, then
   *     sequence); they must include the deployment of each open record. The poll reads them in
   *     order and stops at the one it acts on, so a caller may decode each one when it is read (a
   *     lazy list, as {@code Updraft} passes)
   * @return what the poll decided: instructions, the records to store, the reason and the verdicts
   * @throws InvalidInputException when the candidates are not oldest first, or miss the deployment
   *     of an open record
   */
  public static PollDecision poll(
      Optional<Device> device,
      DeviceState state,
      List<DeviceDeployment> records,
      List<Candidate> candidates,
      Instant now) {
    PollDecision.Builder decision = PollDecision.builder();
    if (device.isEmpty()) {
      return decision.reason(Reason.UNKNOWN_DEVICE).build();
    }
    if (!device.get().isAccepted()) {
      return decision.reason(Reason.NOT_ACCEPTED).build();
    }
    Optional<DeviceDeployment> open =
        records.stream().filter(DeviceDeployment::isOpen).min(DeviceDeployment.BY_CREATION);
    if (open.isPresent()) {
      String deploymentId = open.get().deploymentId();
      for (Candidate candidate : oldestFirst(candidates)) {
        if (candidate.deployment().id().equals(deploymentId)) {
          return continueOpen(open.get(), candidate, state, now);
        }
      }
      throw new InvalidInputException(
          "candidates",
          deploymentId,
          "must include the deployment of open record " + open.get().key());
    }
    Optional<DeviceDeployment> newestFinished = records.stream().max(DeviceDeployment.BY_CREATION);
    Device polling = device.get().withState(state);
    // a poll that starts nothing says so, or that a closed phase held the device back
    Reason headline = Reason.NOTHING_ELIGIBLE;
    for (Candidate candidate : oldestFirst(candidates)) {
      Optional<Verdict> skip = skip(candidate, polling, newestFinished, now);
      if (skip.isPresent()) {
        decision.addVerdicts(skip.get());
        if (skip.get().reason() == Reason.PHASE_NOT_OPEN) {
          headline = Reason.PHASE_NOT_OPEN;
        }
        continue;
      }
      return start(decision, candidate, polling.id(), state, now);
    }
    return decision.reason(headline).build();
  }

  /**
   * Explains what a poll by this device now would decide about each candidate, oldest first, and
   * why [U]: the reason it is skipped (with the failing filter term and the device's value, the
   * phase and what it waits for, …), or for the deployment the poll would act on, what it would do
   * (offered, continued, no compatible artifact with the artifacts passed over, already installed,
   * timed out); deployments the device is eligible for after that one are {@code BEHIND_ANOTHER}.
   * It reads nothing and decides exactly as {@link #poll} does: {@link Explanation#offered()} is
   * the deployment whose instructions the poll returns. Candidates are passed as to {@link #poll}.
   *
   * @param device the device, absent when unknown
   * @param state what the device runs: device type, artifact name, provides
   * @param records the device's device deployments
   * @param candidates the active deployments that may be for the device, with their releases
   * @param now the time of the decision
   * @return a verdict for every candidate, and the deployment a poll would offer
   */
  public static Explanation explain(
      Optional<Device> device,
      DeviceState state,
      List<DeviceDeployment> records,
      List<Candidate> candidates,
      Instant now) {
    Iterable<Candidate> oldestFirst = oldestFirst(candidates);
    List<Verdict> verdicts = new ArrayList<>();
    if (device.isEmpty() || !device.get().isAccepted()) {
      Reason reason = device.isEmpty() ? Reason.UNKNOWN_DEVICE : Reason.NOT_ACCEPTED;
      String detail = device.map(d -> d.admission().wireName()).orElse("");
      oldestFirst.forEach(c -> verdicts.add(Verdict.of(c.deployment().id(), reason, detail)));
      return Explanation.of(verdicts, Optional.empty());
    }
    Optional<DeviceDeployment> open =
        records.stream().filter(DeviceDeployment::isOpen).min(DeviceDeployment.BY_CREATION);
    Optional<DeviceDeployment> newestFinished = records.stream().max(DeviceDeployment.BY_CREATION);
    Device polling = device.get().withState(state);
    Optional<PollDecision> acted = Optional.empty();
    for (Candidate candidate : oldestFirst) {
      String id = candidate.deployment().id();
      if (open.isPresent() && open.get().deploymentId().equals(id)) {
        acted = Optional.of(continueOpen(open.get(), candidate, state, now));
        verdicts.add(acted.get().verdicts().get(0));
        continue;
      }
      Optional<Verdict> skip = skip(candidate, polling, newestFinished, now);
      if (skip.isPresent()) {
        verdicts.add(skip.get());
      } else if (open.isEmpty() && acted.isEmpty()) {
        acted = Optional.of(start(PollDecision.builder(), candidate, polling.id(), state, now));
        verdicts.add(acted.get().verdicts().get(0));
      } else {
        String first =
            open.isPresent()
                ? open.get().deploymentId()
                : acted.get().verdicts().get(0).deploymentId();
        verdicts.add(Verdict.of(id, Reason.BEHIND_ANOTHER, "the device takes " + first + " first"));
      }
    }
    return Explanation.of(
        verdicts, acted.flatMap(PollDecision::instructions).map(Instructions::deploymentId));
  }

  /**
   * {@code candidates}, read in order, each checked to be no older than the one before.
   *
   * @param candidates the active deployments that may be for the device, with their releases
   */
  private static Iterable<Candidate> oldestFirst(List<Candidate> candidates) {
    return () ->
        new Iterator<>() {
          private final Iterator<Candidate> read = candidates.iterator();
          private @Nullable Deployment previous;

          @Override
          public boolean hasNext() {
            return read.hasNext();
          }

          @Override
          public Candidate next() {
            Candidate candidate = read.next();
            Deployment deployment = candidate.deployment();
            if (previous != null && OLDEST_FIRST.compare(previous, deployment) > 0) {
              throw new InvalidInputException(
                  "candidates",
                  deployment.id(),
                  "must be oldest first: it was created before " + previous.id());
            }
            previous = deployment;
            return candidate;
          }
        };
  }

  private static PollDecision continueOpen(
      DeviceDeployment record, Candidate candidate, DeviceState state, Instant now) {
    PollDecision.Builder decision = PollDecision.builder();
    Deployment deployment = candidate.deployment();
    if (record.isOverdue(now)) {
      Outcome timedOut = timeout(deployment, record, now);
      DeviceDeployment after = timedOut.records().get(0);
      decision
          .reason(Reason.TIMED_OUT)
          .record(after)
          .addVerdicts(
              Verdict.of(
                  deployment.id(),
                  Reason.TIMED_OUT,
                  "no report since before "
                      + record.deadline().get()
                      + "; now "
                      + after.status().wireName()));
      timedOut.deployments().forEach(decision::deployment);
      return decision.build();
    }
    boolean retryNotBegun =
        record.status() == DeviceDeploymentStatus.PENDING && record.attempts() > 1;
    if (retryNotBegun && !record.initialState().equals(Optional.of(state))) {
      // a retry starts from what the device runs when it polls for it [U]
      return instructions(decision, record, candidate, "attempt " + record.attempts())
          .record(record.startingFrom(state))
          .build();
    }
    if (record.initialState().isPresent() && !record.initialState().get().equals(state)) {
      DeviceDeployment failed =
          record.transition(DeviceDeploymentStatus.FAILURE, STATE_CHANGED_SUBSTATUS, now);
      return decision
          .reason(Reason.STATE_CHANGED)
          .record(failed)
          .deployment(deployment.count(record.status(), failed.status(), record.phase(), now))
          .addVerdicts(
              Verdict.of(
                  deployment.id(),
                  Reason.STATE_CHANGED,
                  "first polled as " + record.initialState().get() + ", now " + state))
          .build();
    }
    return instructions(decision, record, candidate, "attempt " + record.attempts()).build();
  }

  /** The open record's artifact again, to continue: {@code CONTINUED}, with {@code detail}. */
  private static PollDecision.Builder instructions(
      PollDecision.Builder decision, DeviceDeployment record, Candidate candidate, String detail) {
    Deployment deployment = candidate.deployment();
    Artifact artifact =
        candidate.release().artifacts().stream()
            .filter(a -> record.artifactId().equals(Optional.of(a.id())))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "release",
                        candidate.release().name(),
                        "must still hold artifact "
                            + record.artifactId().orElse("?")
                            + " of open record "
                            + record.key()));
    return decision
        .reason(Reason.CONTINUED)
        .instructions(Instructions.of(deployment.id(), artifact))
        .addVerdicts(Verdict.of(deployment.id(), Reason.CONTINUED, detail));
  }

  /**
   * Why {@code candidate} is not for {@code device} now; empty when it is.
   *
   * @param device the device
   * @param now the time of the decision
   */
  private static Optional<Verdict> skip(
      Candidate candidate, Device device, Optional<DeviceDeployment> newestFinished, Instant now) {
    Deployment deployment = candidate.deployment();
    String id = deployment.id();
    if (!deployment.isActive()) {
      return Optional.of(Verdict.of(id, Reason.FINISHED, ""));
    }
    if (newestFinished.isPresent() && !isNewer(deployment, newestFinished.get())) {
      DeviceDeployment finished = newestFinished.get();
      return Optional.of(
          Verdict.of(
              id,
              Reason.OLDER_THAN_LAST_FINISHED,
              finished.deploymentId().equals(id)
                  ? "the device finished it: " + finished.status().wireName()
                  : "the device finished the newer " + finished.deploymentId()));
    }
    if (deployment.target().kind().isSnapshot()) {
      if (!candidate.inSnapshot()) {
        return Optional.of(Verdict.of(id, Reason.NOT_TARGETED, ""));
      }
    } else {
      Optional<Mismatch> mismatch = deployment.target().filter().get().filter().mismatch(device);
      if (mismatch.isPresent()) {
        return Optional.of(Verdict.of(id, Reason.FILTER_MISMATCH, mismatch.get().toString()));
      }
    }
    if (deployment.phaseStart(0).isAfter(now)) {
      return Optional.of(Verdict.of(id, Reason.SCHEDULED, "starts " + deployment.phaseStart(0)));
    }
    if (deployment.paused()) {
      return Optional.of(Verdict.of(id, Reason.PAUSED, ""));
    }
    if (deployment.isFull()) {
      return Optional.of(
          Verdict.of(id, Reason.FULL, deployment.handedOut() + " devices handed out"));
    }
    if (deployment.openPhase(now).isEmpty()) {
      return Optional.of(Verdict.of(id, Reason.PHASE_NOT_OPEN, waitingPhase(deployment, now)));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code deployment} was created after the deployment of {@code record}.
   *
   * @param deployment the deployment
   * @param record the device deployment
   */
  private static boolean isNewer(Deployment deployment, DeviceDeployment record) {
    int order = deployment.created().compareTo(record.created());
    return order > 0 || (order == 0 && deployment.sequence() > record.deploymentSequence());
  }

  private static String waitingPhase(Deployment deployment, Instant now) {
    for (PhaseStatus phase : deployment.phaseStatuses(now)) {
      if (phase.waitingFor().isPresent()) {
        return "phase " + phase.index() + " waits for " + phase.waitingFor().get();
      }
    }
    return "every phase is full";
  }

  private static PollDecision start(
      PollDecision.Builder decision,
      Candidate candidate,
      String deviceId,
      DeviceState state,
      Instant now) {
    Deployment deployment = candidate.deployment();
    int phase = deployment.openPhase(now).orElseThrow();
    ArtifactChoice choice = candidate.release().choose(state);
    DeviceDeploymentStatus status;
    Reason reason;
    String detail;
    if (choice.artifact().isEmpty()) {
      status = DeviceDeploymentStatus.NOARTIFACT;
      reason = Reason.NO_ARTIFACT;
      detail = choice.rejected().toString();
    } else if (choice.artifact().get().name().equals(state.artifactName())
        && !deployment.options().forceInstallation()) {
      status = DeviceDeploymentStatus.ALREADY_INSTALLED;
      reason = Reason.ALREADY_INSTALLED;
      detail = "device runs " + state.artifactName();
    } else {
      status = DeviceDeploymentStatus.PENDING;
      reason = Reason.OFFERED;
      detail = "artifact " + choice.artifact().get().id() + ", phase " + phase;
      decision.instructions(Instructions.of(deployment.id(), choice.artifact().get()));
    }
    DeviceDeployment.Builder record =
        Builders.deviceDeployment()
            .deviceId(deviceId)
            .deploymentId(deployment.id())
            .status(status)
            .created(deployment.created())
            .deploymentSequence(deployment.sequence())
            .started(now)
            .initialState(state)
            .phase(phase);
    choice.artifact().ifPresent(artifact -> record.artifactId(artifact.id()));
    if (status.isFinished()) {
      record.finished(now);
    }
    return decision
        .reason(reason)
        .record(record.build().withDeadline(deployment.options().progressTimeout(), now))
        .deployment(deployment.admit(phase, status, now))
        .addVerdicts(Verdict.of(deployment.id(), reason, detail))
        .build();
  }

  /**
   * Applies a status report from a device to its device deployment [M, U]. Repeating the current
   * status is a no-op (an empty outcome, or only the record when the substatus changed). A failure
   * with attempts left puts the record back to {@code pending} with the attempt counted [M
   * enterprise]. The deployment's statistics follow, and it finishes when its last device does.
   *
   * @param reported the status the device reports
   * @param deployment the deployment
   * @param record the device deployment
   * @param substatus free text from the device, empty for none
   * @param now the time of the decision
   * @return the deployment and device deployment to store; empty when nothing changed
   * @throws InvalidInputException when the status is not one a device may report
   * @throws ConflictException when the record was aborted or decommissioned [M]
   * @throws IllegalTransitionException when the record has finished otherwise [U]
   */
  public static Outcome report(
      Deployment deployment,
      DeviceDeployment record,
      DeviceDeploymentStatus reported,
      String substatus,
      Instant now) {
    requireOwn(deployment, record);
    if (!reported.isReportable()) {
      throw new InvalidInputException(
          "status", reported.wireName(), "is not one a device may report");
    }
    return move(deployment, record, reported, substatus, now);
  }

  /**
   * Fails an open device deployment that went too long without a report [U], with substatus {@code
   * timed out}; retries apply as for a reported failure.
   *
   * @param deployment the deployment
   * @param record the device deployment
   * @param now the time of the decision
   * @return the deployment and device deployment to store
   * @throws InvalidInputException when the record is not open
   */
  public static Outcome timeout(Deployment deployment, DeviceDeployment record, Instant now) {
    requireOwn(deployment, record);
    if (!record.isOpen()) {
      throw new InvalidInputException(
          "device deployment", record.key(), "must be open to time out");
    }
    return move(deployment, record, DeviceDeploymentStatus.FAILURE, TIMED_OUT_SUBSTATUS, now);
  }

  private static Outcome move(
      Deployment deployment,
      DeviceDeployment record,
      DeviceDeploymentStatus reported,
      String substatus,
      Instant now) {
    DeviceDeploymentStatus before = record.status();
    DeviceDeployment after;
    if (reported == DeviceDeploymentStatus.FAILURE
        && before.transition(reported, record.key())
        && record.attempts() <= deployment.options().retries()) {
      after = record.retry(substatus);
    } else {
      after = record.transition(reported, substatus, now);
    }
    // any report, a repeated one too, restarts the progress timeout
    after = after.withDeadline(deployment.options().progressTimeout(), now);
    if (after.equals(record)) {
      return Outcome.of(List.of(), List.of());
    }
    List<Deployment> deployments =
        after.status() == before
            ? List.of()
            : List.of(deployment.count(before, after.status(), record.phase(), now));
    return Outcome.of(deployments, List.of(after));
  }

  /**
   * Aborts a deployment [M]: its open device deployments become {@code aborted}, devices of its
   * snapshot that never polled will never get it, and it finishes.
   *
   * @param deployment the deployment
   * @param now the time of the decision
   * @param open the deployment's open device deployments
   * @return the deployment and device deployments to store
   * @throws IllegalTransitionException when the deployment has finished
   */
  public static Outcome abort(Deployment deployment, List<DeviceDeployment> open, Instant now) {
    Deployment aborted = deployment.abort(now);
    ImmutableList.Builder<DeviceDeployment> records = ImmutableList.builder();
    for (DeviceDeployment record : open) {
      requireOwn(deployment, record);
      records.add(record.transition(DeviceDeploymentStatus.ABORTED, "", now));
    }
    return Outcome.of(List.of(aborted), records.build());
  }

  /**
   * Decommissions a device [U: Mender forgets one of the statistics]: each of its open device
   * deployments finishes as {@code decommissioned}; in each active snapshot deployment it is
   * targeted by but never polled, a finished {@code decommissioned} record is made so that the
   * deployment can still finish and its statistics still equal a recount.
   *
   * @param deviceId the device's id
   * @param deployments the deployments
   * @param now the time of the decision
   * @param open the device's open device deployments, with {@code deployments} holding each one's
   *     deployment
   * @param unpolled active snapshot deployments targeting the device where it has no record
   * @return the deployments and device deployments to store
   */
  public static Outcome decommission(
      String deviceId,
      List<DeviceDeployment> open,
      List<Deployment> deployments,
      List<Deployment> unpolled,
      Instant now) {
    return finishDevice(
        deviceId, DeviceDeploymentStatus.DECOMMISSIONED, open, deployments, unpolled, now);
  }

  /**
   * Aborts a device's deployments [M]: each of its open device deployments finishes as {@code
   * aborted}, and so does its part in each active snapshot deployment it is targeted by but never
   * polled, so it will never get them. The deployments go on for their other devices. Deployments
   * to a filter it has not polled are not its yet: it may still get them.
   *
   * @param deviceId the device's id
   * @param open the device's open device deployments, with {@code deployments} holding each one's
   *     deployment
   * @param deployments the deployments
   * @param unpolled active snapshot deployments targeting the device where it has no record
   * @param now the time of the decision
   * @return the deployments and device deployments to store
   */
  public static Outcome abortDevice(
      String deviceId,
      List<DeviceDeployment> open,
      List<Deployment> deployments,
      List<Deployment> unpolled,
      Instant now) {
    return finishDevice(deviceId, DeviceDeploymentStatus.ABORTED, open, deployments, unpolled, now);
  }

  /**
   * Resets a device's history [M]: its finished device deployments in active deployments are taken
   * back ({@link Deployment#forget}), so that it may take those deployments again, in the usual
   * order, as it polls. The returned outcome holds the deployments; the caller deletes the records.
   * Records of finished deployments stay, as history and as what their statistics count [U].
   *
   * @param deviceId the device's id
   * @param finished the device's finished device deployments in active deployments, with {@code
   *     deployments} holding each one's deployment
   * @param deployments the deployments
   * @param now the time of the decision
   * @return the deployments to store
   * @throws InvalidInputException when a record is not the device's, not finished, or its
   *     deployment not active or not given
   */
  public static Outcome resetHistory(
      String deviceId, List<DeviceDeployment> finished, List<Deployment> deployments, Instant now) {
    Map<String, Deployment> byId =
        deployments.stream().collect(Collectors.toMap(Deployment::id, Function.identity()));
    ImmutableList.Builder<Deployment> changed = ImmutableList.builder();
    for (DeviceDeployment record : finished) {
      Deployment deployment = byId.get(record.deploymentId());
      if (deployment == null
          || !deployment.isActive()
          || !record.deviceId().equals(deviceId)
          || record.isOpen()) {
        throw new InvalidInputException(
            "finished",
            record.key(),
            "must be a finished record of the device in an active deployment given");
      }
      byId.put(deployment.id(), deployment.forget(record.status(), record.phase(), now));
    }
    finished.stream()
        .map(DeviceDeployment::deploymentId)
        .distinct()
        .forEach(id -> changed.add(byId.get(id)));
    return Outcome.of(changed.build(), List.of());
  }

  private static Outcome finishDevice(
      String deviceId,
      DeviceDeploymentStatus status,
      List<DeviceDeployment> open,
      List<Deployment> deployments,
      List<Deployment> unpolled,
      Instant now) {
    Map<String, Deployment> byId =
        deployments.stream().collect(Collectors.toMap(Deployment::id, Function.identity()));
    ImmutableList.Builder<Deployment> changed = ImmutableList.builder();
    ImmutableList.Builder<DeviceDeployment> records = ImmutableList.builder();
    for (DeviceDeployment record : open) {
      Deployment deployment = byId.get(record.deploymentId());
      if (deployment == null || !record.deviceId().equals(deviceId)) {
        throw new InvalidInputException(
            "deployments",
            record.deploymentId(),
            "must hold the deployment of open record " + record.key());
      }
      DeviceDeployment finished = record.transition(status, "", now);
      records.add(finished);
      changed.add(deployment.count(record.status(), finished.status(), record.phase(), now));
    }
    for (Deployment deployment : unpolled) {
      if (!deployment.target().kind().isSnapshot() || !deployment.isActive()) {
        throw new InvalidInputException(
            "unpolled", deployment.id(), "must be an active snapshot deployment");
      }
      records.add(
          Builders.deviceDeployment()
              .deviceId(deviceId)
              .deploymentId(deployment.id())
              .status(status)
              .created(deployment.created())
              .deploymentSequence(deployment.sequence())
              .started(now)
              .finished(now)
              .build());
      changed.add(deployment.settleUnpolled(status, now));
    }
    return Outcome.of(changed.build(), records.build());
  }

  private static void requireOwn(Deployment deployment, DeviceDeployment record) {
    if (!record.deploymentId().equals(deployment.id())) {
      throw new InvalidInputException(
          "device deployment", record.key(), "must belong to deployment " + deployment.id());
    }
  }
}
