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
  /** What happened. */
  public enum Kind {
    DEPLOYMENT_CREATED,
    DEVICE_DEPLOYMENT_CHANGED,
    DEPLOYMENT_FINISHED
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

  static UpdraftEvent deployment(Kind kind, String deploymentId, Instant at) {
    return ImmutableUpdraftEvent.builder().kind(kind).deploymentId(deploymentId).at(at).build();
  }

  static UpdraftEvent changed(
      String deploymentId,
      String deviceId,
      Optional<DeviceDeploymentStatus> from,
      DeviceDeploymentStatus to,
      Instant at) {
    return ImmutableUpdraftEvent.builder()
        .kind(Kind.DEVICE_DEPLOYMENT_CHANGED)
        .deploymentId(deploymentId)
        .deviceId(deviceId)
        .from(from)
        .to(to)
        .at(at)
        .build();
  }
}
