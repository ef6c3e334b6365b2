package dev.updraft.core.rollout;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.release.Release;
import org.immutables.value.Value;

/**
 * An active deployment a polling device might get, with its release. For a snapshot target, {@link
 * #inSnapshot()} says whether the device is in the snapshot (the caller knows from its index); a
 * dynamic target's filter is evaluated by the poll itself.
 */
@Value.Immutable
public abstract class Candidate {
  Candidate() {}

  /** {@return the deployment} */
  @Value.Parameter
  public abstract Deployment deployment();

  /** {@return the release it deploys} */
  @Value.Parameter
  public abstract Release release();

  /**
   * {@return whether the device is in the deployment's snapshot (always false for a dynamic one)}
   */
  @Value.Parameter
  public abstract boolean inSnapshot();

  /**
   * {@return a deployment to a snapshot, and whether the device is in it}
   *
   * @param deployment the deployment
   * @param release the release it deploys
   * @param inSnapshot whether the device is in the deployment's snapshot (always false for a
   *     dynamic one)
   */
  public static Candidate snapshot(Deployment deployment, Release release, boolean inSnapshot) {
    return new ImmutableCandidate(deployment, release, inSnapshot);
  }

  /**
   * {@return a deployment to a filter}
   *
   * @param deployment the deployment
   * @param release the release it deploys
   */
  public static Candidate dynamic(Deployment deployment, Release release) {
    return new ImmutableCandidate(deployment, release, false);
  }

  @Value.Check
  void check() {
    if (!deployment().releaseName().equals(release().name())) {
      throw new InvalidInputException(
          "release",
          release().name(),
          "must be " + deployment().releaseName() + ", which the deployment deploys");
    }
  }
}
