package dev.updraft.test;

import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Statistics;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a deployment's {@link Statistics}; see {@link UpdraftAssertions}. */
public final class StatisticsAssert extends AbstractAssert<StatisticsAssert, Statistics> {
  StatisticsAssert(Statistics actual) {
    super(actual, StatisticsAssert.class);
  }

  /**
   * Checks that {@code count} devices are in {@code status}.
   *
   * @param status the status
   * @param count how many devices must be in it
   * @return this assertion
   */
  public StatisticsAssert has(DeviceDeploymentStatus status, long count) {
    isNotNull();
    if (actual.count(status) != count) {
      failWithMessage(
          "Expected %d device(s) %s but found %d in %s",
          count, status, actual.count(status), actual);
    }
    return this;
  }

  /**
   * Checks the number of devices in every status together.
   *
   * @param total how many devices in all
   * @return this assertion
   */
  public StatisticsAssert hasTotal(long total) {
    isNotNull();
    if (actual.total() != total) {
      failWithMessage(
          "Expected %d device(s) in all but found %d in %s", total, actual.total(), actual);
    }
    return this;
  }

  /**
   * Checks the number of devices that finished (success, failure, aborted, …).
   *
   * @param finished how many devices must have finished
   * @return this assertion
   */
  public StatisticsAssert hasFinished(long finished) {
    isNotNull();
    if (actual.finished() != finished) {
      failWithMessage(
          "Expected %d finished device(s) but found %d in %s", finished, actual.finished(), actual);
    }
    return this;
  }
}
