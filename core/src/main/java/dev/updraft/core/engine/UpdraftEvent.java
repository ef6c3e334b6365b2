package dev.updraft.core.engine;

import dev.updraft.core.deployment.DeviceDeploymentStatus;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.immutables.value.Value;

/**
 * Something that happened: stored in the commit that made it happen, read from the feed ({@link
 * Updraft#events}), and given to the {@link EventListener} after the commit succeeded. Carries ids,
 * statuses and the time, never mutable state.
 */
@Value.Immutable
public abstract class UpdraftEvent {
  UpdraftEvent() {}

  /** What happened. */
  public enum Kind {
    /** A deployment was created. */
    DEPLOYMENT_CREATED,
    /** The first device left {@code pending}. */
    DEPLOYMENT_STARTED,
    /** The deployment was paused, by the host or by its guard. */
    DEPLOYMENT_PAUSED,
    /** The deployment was resumed. */
    DEPLOYMENT_RESUMED,
    /** The rollout guard tripped; the detail gives the count and the action. */
    GUARD_TRIGGERED,
    /** The detail gives the outcome: completed, aborted, or aborted by its guard. */
    DEPLOYMENT_FINISHED,
    /** A device deployment was made or changed status; from and to give the statuses. */
    DEVICE_DEPLOYMENT_CHANGED,
    /** A device deployment went too long without a report (it failed, or will be retried). */
    RECORD_TIMED_OUT
  }

  /**
   * The high half of the ids of this JVM's events: random, drawn once (a {@link UUID#randomUUID}
   * per event cost a report about a microsecond, most of it in the shared secure random source).
   */
  private static final long ID_HIGH = UUID.randomUUID().getMostSignificantBits();

  /** Numbers this JVM's events: the low half of their ids. */
  private static final AtomicLong ID_LOW = new AtomicLong(new SecureRandom().nextLong());

  /**
   * {@return its unique id, the same in the feed and to the listener: a consumer's idempotency key}
   * A UUID made when the event is: random per JVM in its high half, counted in its low half.
   */
  @Value.Default
  public String id() {
    return new UUID(ID_HIGH, ID_LOW.incrementAndGet()).toString();
  }

  /** {@return what happened} */
  public abstract Kind kind();

  /** {@return the deployment it happened in} */
  public abstract String deploymentId();

  /** {@return the device, for {@link Kind#DEVICE_DEPLOYMENT_CHANGED}} */
  public abstract Optional<String> deviceId();

  /** {@return the status before, for a changed device deployment; absent when it was just made} */
  public abstract Optional<DeviceDeploymentStatus> from();

  /** {@return the status after, for a changed device deployment} */
  public abstract Optional<DeviceDeploymentStatus> to();

  /** {@return when, by the engine's clock} */
  public abstract Instant at();

  /** {@return more about what happened, for people (a guard's count, a deployment's outcome)} */
  @Value.Default
  public String detail() {
    return "";
  }

  /**
   * {@return an event about a deployment as a whole}
   *
   * @param kind what happened
   * @param deploymentId the deployment it happened in
   * @param at when, by the engine's clock
   * @param detail more about what happened, for people (a guard's count, a deployment's outcome)
   */
  public static UpdraftEvent deployment(Kind kind, String deploymentId, Instant at, String detail) {
    return builder().kind(kind).deploymentId(deploymentId).at(at).detail(detail).build();
  }

  static ImmutableUpdraftEvent.Builder builder() {
    return ImmutableUpdraftEvent.builder();
  }

  static UpdraftEvent changed(
      String deploymentId,
      String deviceId,
      Optional<DeviceDeploymentStatus> from,
      DeviceDeploymentStatus to,
      Instant at) {
    return builder()
        .kind(Kind.DEVICE_DEPLOYMENT_CHANGED)
        .deploymentId(deploymentId)
        .deviceId(deviceId)
        .from(from)
        .to(to)
        .at(at)
        .build();
  }
}
