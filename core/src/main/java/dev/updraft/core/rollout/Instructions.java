package dev.updraft.core.rollout;

import dev.updraft.core.release.Artifact;
import org.immutables.value.Value;

/** What a device is told to install: the deployment and the artifact chosen for it [M]. */
@Value.Immutable
public abstract class Instructions {
  Instructions() {}

  @Value.Parameter
  public abstract String deploymentId();

  @Value.Parameter
  public abstract Artifact artifact();

  public static Instructions of(String deploymentId, Artifact artifact) {
    return new ImmutableInstructions(deploymentId, artifact);
  }
}
