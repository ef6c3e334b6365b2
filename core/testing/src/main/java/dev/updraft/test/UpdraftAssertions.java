package dev.updraft.test;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.rollout.PollDecision;

/**
 * Entry points of the AssertJ assertions for Updraft's values; import them statically beside
 * AssertJ's own {@code assertThat}:
 *
 * <pre>{@code
 * assertThat(updraft.statistics(id)).has(DeviceDeploymentStatus.SUCCESS, 10).hasTotal(10);
 * assertThat(updraft.poll("d1", state)).offers(id);
 * }</pre>
 */
public final class UpdraftAssertions {
  private UpdraftAssertions() {}

  /**
   * Assertions on a deployment.
   *
   * @param actual the value to check
   * @return its assertions
   */
  public static DeploymentAssert assertThat(Deployment actual) {
    return new DeploymentAssert(actual);
  }

  /**
   * Assertions on a deployment's statistics.
   *
   * @param actual the value to check
   * @return its assertions
   */
  public static StatisticsAssert assertThat(Statistics actual) {
    return new StatisticsAssert(actual);
  }

  /**
   * Assertions on what a poll decided.
   *
   * @param actual the value to check
   * @return its assertions
   */
  public static PollDecisionAssert assertThat(PollDecision actual) {
    return new PollDecisionAssert(actual);
  }
}
