package dev.updraft.core.engine;

import dev.updraft.core.deployment.DeviceDeploymentStatus;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Something that happened, delivered to the {@link EventListener} after its commit succeeded.
 * Carries ids, statuses and the time, never mutable state.
 */
@Value.Immutable
public abstract class UpdraftEvent {
  UpdraftEvent() {}

  /** What happened. */
  public enum Kind {
    DEPLOYMENT_CREATED,
    /** The first device left {@code pending}. */
    DEPLOYMENT_STARTED,
    DEPLOYMENT_PAUSED,
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

  public abstract Kind kind();

  public abstract String deploymentId();

  /** The device, for {@link Kind#DEVICE_DEPLOYMENT_CHANGED}. */
  public abstract Optional<String> deviceId();

  /** The status before, for a changed device deployment; absent when it was just made. */
  public abstract Optional<DeviceDeploymentStatus> from();

  /** The status after, for a changed device deployment. */
  public abstract Optional<DeviceDeploymentStatus> to();

  public abstract Instant at();

  /** More about what happened, for people (a guard's count, a deployment's outcome). */
  @Value.Default
  public String detail() {
    return "";
  }

  /** An event about a deployment as a whole. */
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
