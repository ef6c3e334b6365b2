package dev.updraft.core.rollout;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import java.util.List;
import org.immutables.value.Value;

/**
 * The values a decision changed, to be stored together: deployments (with their new counters) and
 * device deployments (new or changed). Empty lists mean nothing changed.
 */
@Value.Immutable
public abstract class Outcome {
  Outcome() {}

  /** {@return the deployments changed, to store} */
  @Value.Parameter
  public abstract List<Deployment> deployments();

  /** {@return the device deployments made or changed, to store} */
  @Value.Parameter
  public abstract List<DeviceDeployment> records();

  /**
   * {@return an outcome that changed {@code deployments} and {@code records}}
   *
   * @param deployments the deployments changed, to store
   * @param records the device deployments made or changed, to store
   */
  public static Outcome of(List<Deployment> deployments, List<DeviceDeployment> records) {
    return new ImmutableOutcome(deployments, records);
  }

  /** {@return whether nothing changed} */
  public boolean isEmpty() {
    return deployments().isEmpty() && records().isEmpty();
  }
}
