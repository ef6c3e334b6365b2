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

  /** {@return the devices the target resolves to now (for a filter: those matching now)} */
  public abstract long devices();

  /** {@return each phase's capacity; one entry without phases} */
  public abstract List<Long> phaseSizes();

  /** {@return per device type, the resolved devices of that type no artifact fits} */
  public abstract Map<String, Long> noCompatibleArtifact();

  /** {@return per active deployment id, how many of the resolved devices it already targets} */
  public abstract Map<String, Long> overlapping();

  static ImmutableDeploymentPreview.Builder builder() {
    return ImmutableDeploymentPreview.builder();
  }
}
