package dev.updraft.core.engine;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * What a deployment would be before it is created [U]: how many devices its target resolves to, the
 * size of each phase, per device type how many of them no artifact of the release fits, and which
 * active deployments already target some of them (ordering hazards: the older one goes first).
 */
@Value.Immutable
public abstract class DeploymentPreview {
  DeploymentPreview() {}

  /** The devices the target resolves to now (for a filter: those matching now). */
  public abstract long devices();

  /** Each phase's capacity; one entry without phases. */
  public abstract List<Long> phaseSizes();

  /** Device type → resolved devices of that type with no compatible artifact. */
  public abstract Map<String, Long> noCompatibleArtifact();

  /** Active deployment id → how many of the resolved devices it already targets. */
  public abstract Map<String, Long> overlapping();

  static ImmutableDeploymentPreview.Builder builder() {
    return ImmutableDeploymentPreview.builder();
  }
}
