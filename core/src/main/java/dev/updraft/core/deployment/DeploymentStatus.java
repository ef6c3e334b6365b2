package dev.updraft.core.deployment;

import java.util.Locale;

/**
 * The status of a deployment, derived from its statistics [M] and, for {@link #SCHEDULED} and
 * {@link #PAUSED}, from its phases and its pause flag [U]. Once finished, never anything else.
 */
public enum DeploymentStatus {
  /** Its first phase starts in the future and no device has started [U]. */
  SCHEDULED,
  /** No device has started yet. */
  PENDING,
  /** Some device has started and it is not finished. */
  INPROGRESS,
  /** Paused by a user or a rollout guard: no new device starts [U]. */
  PAUSED,
  /** Every device has finished, or it was aborted. */
  FINISHED;

  /** {@return the status's name in Mender's API and in stored records} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Mender's derivation [M]: finished when stopped, or when a maximum is set ({@code maxDevices >
   * 0}) and the finished count has reached it; else in progress when any device is in a status
   * other than pending and decommissioned; else pending.
   *
   * @param statistics the deployment's statistics
   * @param stopped whether the deployment was aborted or stopped
   * @param maxDevices the maximum number of finished devices, 0 for none; for a snapshot target the
   *     engine passes the number of targeted devices
   * @return the deployment's status
   */
  public static DeploymentStatus derive(Statistics statistics, long maxDevices, boolean stopped) {
    if (stopped || (maxDevices > 0 && statistics.finished() >= maxDevices)) {
      return FINISHED;
    }
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      if (status != DeviceDeploymentStatus.PENDING
          && status != DeviceDeploymentStatus.DECOMMISSIONED
          && statistics.count(status) > 0) {
        return INPROGRESS;
      }
    }
    return PENDING;
  }
}
