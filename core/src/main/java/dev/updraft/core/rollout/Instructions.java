package dev.updraft.core.rollout;

import dev.updraft.core.release.Artifact;
import org.immutables.value.Value;

/** What a device is told to install: the deployment and the artifact chosen for it [M]. */
@Value.Immutable
public abstract class Instructions {
  Instructions() {}

  /** {@return the deployment the device is to install} */
  @Value.Parameter
  public abstract String deploymentId();

  /** {@return the artifact the device is to download and install} */
  @Value.Parameter
  public abstract Artifact artifact();

  /**
   * Instructions to install {@code artifact} for {@code deploymentId}.
   *
   * @param deploymentId the deployment the device is to install
   * @param artifact the artifact the device is to download and install
   * @return the instructions
   */
  public static Instructions of(String deploymentId, Artifact artifact) {
    return new ImmutableInstructions(deploymentId, artifact);
  }
}
