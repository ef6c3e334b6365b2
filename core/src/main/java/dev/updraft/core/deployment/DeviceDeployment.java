package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.internal.Checks;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One device's part in one deployment [M, seed: at most one per device and deployment]. Created
 * when the device first polls for the deployment (or when the deployment ends for a device that
 * never polled); retries are further attempts on the same record.
 */
@Value.Immutable
public abstract class DeviceDeployment {
  DeviceDeployment() {}

  /** The longest substatus accepted [M]. */
  public static final int MAX_SUBSTATUS_LENGTH = 200;

  /** Oldest deployment first: by the deployment's creation time, then its creation sequence. */
  public static final Comparator<DeviceDeployment> BY_CREATION =
      Comparator.comparing(DeviceDeployment::created)
          .thenComparingLong(DeviceDeployment::deploymentSequence);

  /** {@return the device} */
  public abstract String deviceId();

  /** {@return the deployment} */
  public abstract String deploymentId();

  /**
   * {@return the artifact selected for the device; absent for {@code noartifact} and records made
   * without a poll}
   */
  public abstract Optional<String> artifactId();

  /** {@return the status the device last reported, or the engine set} */
  public abstract DeviceDeploymentStatus status();

  /** {@return free text the device sent with its status; empty when none} */
  @Value.Default
  public String substatus() {
    return "";
  }

  /** {@return the deployment's creation time, which orders a device's records} */
  public abstract Instant created();

  /** {@return the deployment's creation sequence, which breaks ties of {@link #created()}} */
  public abstract long deploymentSequence();

  /** {@return when the record was made (the device's first poll for the deployment)} */
  public abstract Instant started();

  /** {@return when the device deployment finished, absent while open} */
  public abstract Optional<Instant> finished();

  /** {@return attempts made so far, this one included: 1 to the deployment's retries + 1} */
  @Value.Default
  public int attempts() {
    return 1;
  }

  /** {@return whether the device uploaded a log for this record} */
  @Value.Default
  public boolean logAvailable() {
    return false;
  }

  /** {@return the state the device first polled with; absent for a record made without a poll} */
  public abstract Optional<DeviceState> initialState();

  /**
   * {@return the phase the device joined (index into the deployment's phases); absent without a
   * poll}
   */
  public abstract Optional<Integer> phase();

  /**
   * {@return when the record times out without a report [U]: set while it is open, when its
   * deployment has a progress timeout}
   */
  public abstract Optional<Instant> deadline();

  static Builder builder() {
    return new Builder();
  }

  /**
   * {@return whether it is open and its deadline has passed at {@code now}}
   *
   * @param now the time of the decision
   */
  public boolean isOverdue(Instant now) {
    return isOpen() && deadline().map(d -> !d.isAfter(now)).orElse(false);
  }

  /**
   * {@return the record with its deadline: {@code timeout} after {@code now} while open, none
   * after}
   *
   * @param timeout the deployment's progress timeout, if any
   * @param now the time of the decision
   */
  public DeviceDeployment withDeadline(Optional<java.time.Duration> timeout, Instant now) {
    Optional<Instant> deadline = isOpen() ? timeout.map(now::plus) : Optional.empty();
    return deadline.equals(deadline()) ? this : copy().withDeadline(deadline);
  }

  /** {@return whether the device deployment is still in progress} */
  public boolean isOpen() {
    return status().isOpen();
  }

  /**
   * {@return the record moved to {@code next} along the transition table (see {@link
   * DeviceDeploymentStatus#transition}); the same record when {@code next} repeats the status} A
   * finished status sets {@link #finished()}.
   *
   * @param next the cursor of the next page, if any
   * @param now the time of the decision
   * @param substatus free text the device sent with its status; empty when none
   */
  public DeviceDeployment transition(DeviceDeploymentStatus next, String substatus, Instant now) {
    if (!status().transition(next, key())) {
      return substatus.equals(substatus()) ? this : copy().withSubstatus(substatus);
    }
    ImmutableDeviceDeployment record =
        next.isFinished() ? copy().withFinished(now).withDeadline(Optional.empty()) : copy();
    return record.withStatus(next).withSubstatus(substatus);
  }

  /**
   * {@return the record back to {@code pending} for its next attempt after a failure [M
   * enterprise]: the attempt is counted, the status does not pass through {@code failure}}
   *
   * @param substatus free text the device sent with its status; empty when none
   */
  public DeviceDeployment retry(String substatus) {
    return copy()
        .withStatus(DeviceDeploymentStatus.PENDING)
        .withSubstatus(substatus)
        .withAttempts(attempts() + 1);
  }

  /**
   * {@return this retried device deployment, its new attempt starting from {@code state}: what the
   * device runs when it polls for the attempt [U]} A failed attempt may have changed it (an update
   * module that cannot roll back leaves {@code <artifact>_INCONSISTENT}); the retry starts from
   * there, and a change of state fails the attempt only once it has begun.
   *
   * @param state what the device runs now
   */
  public DeviceDeployment startingFrom(DeviceState state) {
    return copy().withInitialState(state);
  }

  /** {@return this device deployment, marked as having an uploaded log} */
  public DeviceDeployment withLogAvailable() {
    return copy().withLogAvailable(true);
  }

  /** {@return {@code device/deployment}, the record's key in messages} */
  public String key() {
    return deviceId() + "/" + deploymentId();
  }

  private ImmutableDeviceDeployment copy() {
    return (ImmutableDeviceDeployment) ImmutableDeviceDeployment.copyOf(this);
  }

  @Value.Check
  void check() {
    Checks.length("substatus", substatus(), MAX_SUBSTATUS_LENGTH);
    Checks.range("attempts", attempts(), 1, DeploymentOptions.MAX_RETRIES + 1);
    if (status().isFinished() && finished().isEmpty()) {
      throw new InvalidInputException(
          "finished", null, "is required for a " + status().wireName() + " record " + key());
    }
  }

  /** Builds a {@link DeviceDeployment}: Updraft's own, never a host's. */
  public static final class Builder extends ImmutableDeviceDeployment.Builder {
    Builder() {}
  }
}
