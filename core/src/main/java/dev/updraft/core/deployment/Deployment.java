package dev.updraft.core.deployment;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.device.Device;
import dev.updraft.core.internal.Builders;
import dev.updraft.core.internal.Checks;
import dev.updraft.core.release.Release;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A deployment of a release to a target [seed, M], with the counters it keeps as devices take part:
 * statistics per status, devices handed out, devices per phase, and whether it is paused, stopped
 * or finished. Every change returns a new value; the engine commits it.
 *
 * <p>For a snapshot target every targeted device that has no device deployment yet counts as {@code
 * pending} in the statistics, so a device's first poll moves it out of the {@code pending} bucket
 * instead of adding to it.
 */
@Value.Immutable
public abstract class Deployment {
  Deployment() {}

  /** {@return the deployment's unique id} */
  public abstract String id();

  /** {@return the deployment's name} */
  public abstract String name();

  /** {@return the name of the release deployed} */
  public abstract String releaseName();

  /** {@return what the deployment targets: devices, a group, all devices or a filter} */
  public abstract Target target();

  /** {@return when the deployment was created} */
  public abstract Instant created();

  /** {@return a number increasing with creation, breaking ties of {@link #created()}} */
  public abstract long sequence();

  /** {@return the deployment's options: phases, retries, maximum, guard, timeout} */
  public abstract DeploymentOptions options();

  /** {@return how many devices are in each device deployment status} */
  public abstract Statistics statistics();

  /** {@return devices that got a device deployment: Mender's {@code device_count}} */
  public abstract long handedOut();

  /** {@return devices that joined each phase (one entry when there are no phases)} */
  public abstract List<Long> phaseCounts();

  /** {@return devices of each phase that tried the update: finished with success or failure [U]} */
  public abstract List<Long> phaseTried();

  /** {@return devices of each phase that finished with success [U]} */
  public abstract List<Long> phaseSucceeded();

  /**
   * {@return devices that tried the update since the deployment started or was last resumed [U]}
   */
  @Value.Default
  public long guardTried() {
    return 0;
  }

  /** {@return of {@link #guardTried()}, those that failed [U]} */
  @Value.Default
  public long guardFailed() {
    return 0;
  }

  /** {@return the guard's last trip, if it ever tripped [U]} */
  public abstract Optional<GuardTrip> guardTrip();

  /**
   * {@return whether the deployment is paused: no new device starts; those in progress go on [U]}
   */
  @Value.Default
  public boolean paused() {
    return false;
  }

  /** {@return whether a user stopped or aborted the deployment [M]} */
  @Value.Default
  public boolean stopped() {
    return false;
  }

  /** {@return when the deployment finished; once set, never unset} */
  public abstract Optional<Instant> finished();

  /**
   * A builder, for hosts and adapters that restore a deployment they stored; new deployments come
   * from {@link #create}.
   */
  static Builder builder() {
    return new Builder();
  }

  static {
    Builders.register(
        new Builders.Source() {
          @Override
          public Builder deployment() {
            return new Builder();
          }

          @Override
          public DeviceDeployment.Builder deviceDeployment() {
            return DeviceDeployment.builder();
          }
        });
  }

  /**
   * Creates a deployment from {@code request} against the fleet [M, seed]. {@code candidates} are
   * the devices the target may draw on: for a device list, the listed devices that exist; for a
   * static group, its members; for all devices or a filter, the fleet. Snapshot targets keep only
   * accepted and preauthorized devices ({@link Device#isTargetable}); unknown and other ids are
   * left out and reported back.
   *
   * @param request what to create: name, release, target, options
   * @param release the release of the request's name, absent when there is none
   * @param candidates the devices the target may draw on
   * @param active the active deployments, to refuse one identical to the request
   * @param id the deployment's unique id
   * @param now the time of creation
   * @param sequence a number increasing with creation, breaking ties of {@link #created()}
   * @return the deployment, with the devices its target resolved to
   * @throws NotFoundException when the release does not exist (Mender answers 422), or the static
   *     group has no member
   * @throws InvalidInputException when a snapshot target has no accepted device, or a phase would
   *     get no device
   * @throws ConflictException when an identical deployment is active
   */
  public static NewDeployment create(
      DeploymentRequest request,
      Optional<Release> release,
      Iterable<Device> candidates,
      Collection<Deployment> active,
      String id,
      Instant now,
      long sequence) {
    Checks.text("deployment id", id, Device.MAX_ID_LENGTH);
    if (release.isEmpty() || !release.get().name().equals(request.releaseName())) {
      throw new NotFoundException("release", request.releaseName());
    }
    TargetKind kind = request.targetKind();
    Target.Builder target = Target.builder().kind(kind);
    request.group().ifPresent(target::group);
    request.filter().ifPresent(target::filter);
    List<String> snapshot = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> notAccepted = new ArrayList<>();
    if (kind == TargetKind.DYNAMIC) {
      long matching = 0;
      for (Device device : candidates) {
        if (device.isAccepted() && request.filter().get().filter().matches(device)) {
          matching++;
        }
      }
      target.initialDeviceCount(matching).fingerprint("filter:" + request.filter().get().id());
    } else {
      resolveSnapshot(request, candidates, snapshot, unknown, notAccepted);
      if (kind == TargetKind.STATIC_GROUP && snapshot.isEmpty() && notAccepted.isEmpty()) {
        throw new NotFoundException(
            "group", request.group().get()); // a group exists while it has members
      }
      if (snapshot.isEmpty()) {
        throw new InvalidInputException(
            kind == TargetKind.DEVICE_LIST
                ? "devices"
                : kind == TargetKind.STATIC_GROUP ? "group" : "all_devices",
            request.group().orElse(request.devices().size() + " ids"),
            "must resolve to at least one accepted or preauthorized device");
      }
      target.initialDeviceCount(snapshot.size()).fingerprint(fingerprint(snapshot));
    }
    Target resolved = target.build();
    if (!request.options().phases().isEmpty()) {
      request.options().capacities(resolved.initialDeviceCount());
    }
    for (Deployment existing : active) {
      if (existing.finished().isEmpty()
          && existing.name().equals(request.name())
          && existing.releaseName().equals(request.releaseName())
          && existing.target().fingerprint().equals(resolved.fingerprint())
          && existing.options().equals(request.options())) {
        throw new ConflictException(
            "deployment", existing.id(), "an identical deployment is active");
      }
    }
    Deployment deployment =
        builder()
            .id(id)
            .name(request.name())
            .releaseName(request.releaseName())
            .target(resolved)
            .created(now)
            .sequence(sequence)
            .options(request.options())
            .statistics(
                kind.isSnapshot()
                    ? Statistics.of(Map.of(DeviceDeploymentStatus.PENDING, (long) snapshot.size()))
                    : Statistics.empty())
            .handedOut(0)
            .addAllPhaseCounts(phaseZeros(request.options()))
            .addAllPhaseTried(phaseZeros(request.options()))
            .addAllPhaseSucceeded(phaseZeros(request.options()))
            .build();
    return NewDeployment.of(deployment, snapshot, unknown, notAccepted);
  }

  private static List<Long> phaseZeros(DeploymentOptions options) {
    return Collections.nCopies(Math.max(1, options.phases().size()), 0L);
  }

  private static void resolveSnapshot(
      DeploymentRequest request,
      Iterable<Device> candidates,
      List<String> snapshot,
      List<String> unknown,
      List<String> notAccepted) {
    if (request.targetKind() == TargetKind.DEVICE_LIST) {
      Set<String> wanted = new LinkedHashSet<>(request.devices());
      Map<String, Device> found = new HashMap<>();
      for (Device device : candidates) {
        if (wanted.contains(device.id())) {
          found.put(device.id(), device);
        }
      }
      for (String deviceId : wanted) {
        Device device = found.get(deviceId);
        (device == null ? unknown : device.isTargetable() ? snapshot : notAccepted).add(deviceId);
      }
      return;
    }
    for (Device device : candidates) {
      boolean member =
          request.targetKind() == TargetKind.ALL_DEVICES
              || device.staticGroup().equals(request.group());
      if (member) {
        if (device.isTargetable()) {
          snapshot.add(device.id());
        } else if (request.targetKind() == TargetKind.STATIC_GROUP) {
          notAccepted.add(device.id());
        }
      }
    }
  }

  private static String fingerprint(List<String> snapshot) {
    Hasher hasher = Hashing.sha256().newHasher();
    snapshot.stream()
        .sorted()
        .forEach(deviceId -> hasher.putString(deviceId, StandardCharsets.UTF_8).putByte((byte) 0));
    return "devices:" + hasher.hash();
  }

  /**
   * {@return the status now [M, U]; see {@link DeploymentStatus}}
   *
   * @param now the time of the decision
   */
  public DeploymentStatus status(Instant now) {
    if (finished().isPresent()) {
      return DeploymentStatus.FINISHED;
    }
    if (paused()) {
      return DeploymentStatus.PAUSED;
    }
    DeploymentStatus derived = DeploymentStatus.derive(statistics(), finishAt(), stopped());
    return derived == DeploymentStatus.PENDING && phaseStart(0).isAfter(now)
        ? DeploymentStatus.SCHEDULED
        : derived;
  }

  /** {@return whether the deployment has not finished} */
  public boolean isActive() {
    return finished().isEmpty();
  }

  /**
   * {@return the number of finished devices at which the deployment finishes, 0 for never [M]: the
   * maximum if set, and for a snapshot target at most the snapshot's size}
   */
  public long finishAt() {
    long max = options().maxDevices().orElse(0L);
    if (!target().kind().isSnapshot()) {
      return max;
    }
    long targeted = target().initialDeviceCount();
    return max == 0 ? targeted : Math.min(max, targeted);
  }

  /**
   * {@return whether the deployment has handed out all it may: its maximum, or its whole snapshot}
   */
  public boolean isFull() {
    long limit = finishAt();
    return limit > 0 && handedOut() >= limit;
  }

  /**
   * {@return when phase {@code index} starts: its start time, or the creation time for a first
   * phase without one}
   *
   * @param index the index
   */
  public Instant phaseStart(int index) {
    return options().phases().isEmpty()
        ? created()
        : options().phases().get(index).start().orElse(created());
  }

  /**
   * {@return each phase's capacity [M enterprise]; see {@link DeploymentOptions#capacities}} The
   * last phase of a dynamic deployment also absorbs growth, so only the others are limits.
   */
  @Value.Lazy
  public List<Long> capacities() {
    return options().capacities(target().initialDeviceCount());
  }

  /**
   * {@return the phase a device that polls now joins: the earliest that has started, passed its
   * gate, and has room [M enterprise, U]; empty when none has}
   *
   * @param now the time of the decision
   */
  public Optional<Integer> openPhase(Instant now) {
    for (PhaseStatus phase : phaseStatuses(now)) {
      if (phase.waitingFor().isPresent()) {
        return Optional.empty();
      }
      if (!phase.full()) {
        return Optional.of(phase.index());
      }
    }
    return Optional.empty();
  }

  /**
   * {@return each phase now [U]: open (started, gate passed), full, or waiting, and for a waiting
   * phase what it waits for} Phases after the first waiting one wait for it.
   *
   * @param now the time of the decision
   */
  public List<PhaseStatus> phaseStatuses(Instant now) {
    int phases = phaseCounts().size();
    List<PhaseStatus> statuses = new ArrayList<>(phases);
    Optional<String> blocked = Optional.empty();
    for (int index = 0; index < phases; index++) {
      Optional<String> waiting = blocked;
      if (waiting.isEmpty() && phaseStart(index).isAfter(now)) {
        waiting = Optional.of("its start at " + phaseStart(index));
      }
      if (waiting.isEmpty() && index > 0) {
        Optional<PhaseGate> gate = options().phases().get(index).gate();
        long tried = phaseTried().get(index - 1);
        long succeeded = phaseSucceeded().get(index - 1);
        if (gate.isPresent() && !gate.get().isOpen(succeeded, tried)) {
          waiting =
              Optional.of(
                  String.format(
                      "phase %d to reach a success ratio of %.2f over at least %d devices (now %d"
                          + " of %d)",
                      index - 1,
                      gate.get().minSuccessRatio(),
                      gate.get().minSample(),
                      succeeded,
                      tried));
        }
      }
      boolean growing = index == phases - 1 && !target().kind().isSnapshot();
      boolean full = !growing && phaseCounts().get(index) >= capacities().get(index);
      statuses.add(PhaseStatus.of(index, full, waiting));
      if (waiting.isPresent() && blocked.isEmpty()) {
        blocked = Optional.of("phase " + index + " to open");
      }
    }
    return statuses;
  }

  /**
   * {@return a device's record made: the device joins {@code phase} and counts in {@code status}
   * (for a snapshot target it leaves the {@code pending} bucket it was counted in)}
   *
   * @param phase the phase the device joined, absent when the deployment has none
   * @param status the status
   * @param now the time of the decision
   */
  public Deployment admit(int phase, DeviceDeploymentStatus status, Instant now) {
    List<Long> counts = new ArrayList<>(phaseCounts());
    counts.set(phase, counts.get(phase) + 1);
    Statistics counted =
        target().kind().isSnapshot()
            ? statistics().move(DeviceDeploymentStatus.PENDING, status)
            : statistics().plus(status, 1);
    return copy()
        .withHandedOut(handedOut() + 1)
        .withPhaseCounts(counts)
        .withStatistics(counted)
        .settle(now);
  }

  /**
   * {@return a device's finished record taken back, so that the device may take the deployment
   * again [M]} What the record counted goes: its status (for a snapshot target the device counts as
   * {@code pending} again, as one that never polled) and, for a record handed out in {@code phase},
   * its hand-out, its place in the phase and the attempt the guard and the phase counted. A guard
   * that tripped stays tripped.
   *
   * @param status the record's status, a finished one
   * @param phase the phase the device joined, absent for a record not handed out (a device that
   *     never polled, aborted or decommissioned)
   * @param now the time of the decision
   * @throws InvalidInputException when {@code status} is not a finished one
   */
  public Deployment forget(DeviceDeploymentStatus status, Optional<Integer> phase, Instant now) {
    if (!status.isFinished()) {
      throw new InvalidInputException("status", status.wireName(), "must be a finished status");
    }
    ImmutableDeployment forgotten =
        copy()
            .withStatistics(
                target().kind().isSnapshot()
                    ? statistics().move(status, DeviceDeploymentStatus.PENDING)
                    : statistics().plus(status, -1));
    if (phase.isPresent()) {
      int index = phase.get();
      forgotten =
          forgotten.withHandedOut(handedOut() - 1).withPhaseCounts(add(phaseCounts(), index, -1));
      boolean failed = status == DeviceDeploymentStatus.FAILURE;
      if (failed || status == DeviceDeploymentStatus.SUCCESS) {
        forgotten =
            forgotten
                .withGuardTried(guardTried() - 1)
                .withGuardFailed(guardFailed() - (failed ? 1 : 0))
                .withPhaseTried(add(phaseTried(), index, -1))
                .withPhaseSucceeded(failed ? phaseSucceeded() : add(phaseSucceeded(), index, -1));
      }
    }
    return forgotten.settle(now);
  }

  /**
   * {@return a device of a snapshot target that never polled finishes without a record being handed
   * out (it was decommissioned): its {@code pending} count moves to {@code status}}
   *
   * @param status the status
   * @param now the time of the decision
   */
  public Deployment settleUnpolled(DeviceDeploymentStatus status, Instant now) {
    return copy()
        .withStatistics(statistics().move(DeviceDeploymentStatus.PENDING, status))
        .settle(now);
  }

  /**
   * {@return one device deployment (of {@code phase}, when it joined one) moved from {@code from}
   * to {@code to}} A move into {@code success} or {@code failure} counts for the phase and for the
   * guard, which may trip now [U]: then the deployment pauses or aborts itself in this same change.
   *
   * @param from the status before
   * @param to the status after
   * @param phase the phase the device joined, absent when the deployment has none
   * @param now the time of the decision
   */
  public Deployment count(
      DeviceDeploymentStatus from,
      DeviceDeploymentStatus to,
      Optional<Integer> phase,
      Instant now) {
    ImmutableDeployment counted = copy().withStatistics(statistics().move(from, to));
    boolean tried = to == DeviceDeploymentStatus.SUCCESS || to == DeviceDeploymentStatus.FAILURE;
    if (tried && from != to) {
      boolean failed = to == DeviceDeploymentStatus.FAILURE;
      counted =
          counted
              .withGuardTried(guardTried() + 1)
              .withGuardFailed(guardFailed() + (failed ? 1 : 0));
      if (phase.isPresent()) {
        counted =
            counted
                .withPhaseTried(increment(phaseTried(), phase.get()))
                .withPhaseSucceeded(
                    failed ? phaseSucceeded() : increment(phaseSucceeded(), phase.get()));
      }
    }
    return counted.guarded(now).settle(now);
  }

  private static List<Long> increment(List<Long> counts, int index) {
    return add(counts, index, 1);
  }

  private static List<Long> add(List<Long> counts, int index, long delta) {
    List<Long> next = new ArrayList<>(counts);
    next.set(index, next.get(index) + delta);
    return next;
  }

  /**
   * Trips the guard when it is crossed and the deployment runs (not paused, not finished).
   *
   * @param now the time of the decision
   */
  Deployment guarded(Instant now) {
    Optional<Guard> guard = options().guard();
    if (guard.isEmpty()
        || finished().isPresent()
        || paused()
        || !guard.get().isCrossed(guardFailed(), guardTried())) {
      return this;
    }
    GuardTrip trip = GuardTrip.of(guardFailed(), guardTried(), now, guard.get().action());
    Deployment tripped = copy().withGuardTrip(trip);
    return guard.get().action() == GuardAction.PAUSE
        ? ((ImmutableDeployment) tripped).withPaused(true)
        : tripped.abort(now);
  }

  /**
   * {@return the deployment with what its counts call for done: its guard tripped when crossed [U],
   * and finished once Mender's derivation says so [M]} Every change of this type does it already; a
   * host or engine that sums counts kept in parts (the engine's stripes) calls it on the sum, since
   * no one part saw it crossed.
   *
   * @param now the time of the decision
   */
  public Deployment review(Instant now) {
    return guarded(now).settle(now);
  }

  /** {@return whether its guard tripped and aborted it [U]} */
  public boolean abortedByGuard() {
    return stopped() && guardTrip().map(t -> t.action() == GuardAction.ABORT).orElse(false);
  }

  /** {@return whether any device has left {@code pending} (decommissioned devices aside) [M]} */
  public boolean hasStarted() {
    return DeploymentStatus.derive(statistics(), 0, false) != DeploymentStatus.PENDING;
  }

  /**
   * Aborted (or stopped) by a user [M]: every open device, polled or not, counts as aborted and the
   * deployment finishes. The engine moves the open device deployments themselves.
   *
   * @param now the time of the decision
   * @return the finished deployment
   * @throws IllegalTransitionException when the deployment has finished
   */
  public Deployment abort(Instant now) {
    requireActive("aborted");
    Statistics aborted = statistics();
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      if (status.isOpen()) {
        aborted =
            aborted
                .plus(status, -aborted.count(status))
                .plus(DeviceDeploymentStatus.ABORTED, aborted.count(status));
      }
    }
    return copy().withStatistics(aborted).withStopped(true).withFinished(now);
  }

  /**
   * Paused [U]; repeating is a no-op. @throws IllegalTransitionException when finished
   *
   * @return the paused deployment
   */
  public Deployment pause() {
    requireActive("paused");
    return copy().withPaused(true);
  }

  /**
   * Resumed [U]: the guard counts afresh from now. Repeating is a no-op. @throws
   * IllegalTransitionException when finished
   *
   * @return the resumed deployment
   */
  public Deployment resume() {
    requireActive("inprogress");
    return paused() ? copy().withPaused(false).withGuardTried(0).withGuardFailed(0) : this;
  }

  private void requireActive(String next) {
    if (finished().isPresent()) {
      throw new IllegalTransitionException("deployment", id(), "finished", next);
    }
  }

  /**
   * Finished once Mender's derivation says so; never unfinished.
   *
   * @param now the time of the decision
   */
  Deployment settle(Instant now) {
    return finished().isEmpty()
            && DeploymentStatus.derive(statistics(), finishAt(), stopped())
                == DeploymentStatus.FINISHED
        ? copy().withFinished(now)
        : this;
  }

  private ImmutableDeployment copy() {
    return (ImmutableDeployment) ImmutableDeployment.copyOf(this);
  }

  @Value.Check
  void check() {
    Checks.text("name", name(), DeploymentRequest.MAX_NAME_LENGTH);
    int phases = Math.max(1, options().phases().size());
    for (List<Long> counts : List.of(phaseCounts(), phaseTried(), phaseSucceeded())) {
      if (counts.size() != phases) {
        throw new InvalidInputException(
            "phase counts", counts, "must have one count per phase (" + phases + ")");
      }
    }
  }

  /** Builds a {@link Deployment}: Updraft's own, never a host's (see {@link #create}). */
  public static final class Builder extends ImmutableDeployment.Builder {
    Builder() {}
  }
}
