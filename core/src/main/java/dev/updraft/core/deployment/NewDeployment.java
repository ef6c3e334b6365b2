package dev.updraft.core.deployment;

import java.util.List;
import org.immutables.value.Value;

/**
 * A deployment just created, with its snapshot (the accepted device ids it targets, empty for a
 * dynamic target) and the ids it left out: unknown ones and ones not accepted [seed].
 */
@Value.Immutable
public abstract class NewDeployment {
  NewDeployment() {}

  /** {@return the deployment created} */
  @Value.Parameter
  public abstract Deployment deployment();

  /** {@return the devices a snapshot target resolved to; empty for a dynamic one} */
  @Value.Parameter
  public abstract List<String> snapshot();

  /** {@return the listed devices that do not exist} */
  @Value.Parameter
  public abstract List<String> unknown();

  /**
   * {@return the listed or grouped devices left out because they are neither accepted nor
   * preauthorized}
   */
  @Value.Parameter
  public abstract List<String> notAccepted();

  static NewDeployment of(
      Deployment deployment,
      List<String> snapshot,
      List<String> unknown,
      List<String> notAccepted) {
    return new ImmutableNewDeployment(deployment, snapshot, unknown, notAccepted);
  }
}
