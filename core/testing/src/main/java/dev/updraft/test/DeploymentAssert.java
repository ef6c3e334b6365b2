package dev.updraft.test;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentStatus;
import java.time.Instant;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link Deployment}; see {@link UpdraftAssertions}. */
public final class DeploymentAssert extends AbstractAssert<DeploymentAssert, Deployment> {
  DeploymentAssert(Deployment actual) {
    super(actual, DeploymentAssert.class);
  }

  /**
   * Checks the deployment's status at {@code now}.
   *
   * @param status the status it must have
   * @param now when
   * @return this assertion
   */
  public DeploymentAssert hasStatus(DeploymentStatus status, Instant now) {
    isNotNull();
    DeploymentStatus found = actual.status(now);
    if (found != status) {
      failWithMessage(
          "Expected deployment %s to be %s at %s but it was %s", actual.id(), status, now, found);
    }
    return this;
  }

  /**
   * Checks that the deployment is paused (by a host, or by its guard).
   *
   * @return this assertion
   */
  public DeploymentAssert isPaused() {
    isNotNull();
    if (!actual.paused()) {
      failWithMessage("Expected deployment %s to be paused but it was not", actual.id());
    }
    return this;
  }

  /**
   * Checks that the deployment has finished.
   *
   * @return this assertion
   */
  public DeploymentAssert isFinished() {
    isNotNull();
    if (actual.finished().isEmpty()) {
      failWithMessage("Expected deployment %s to have finished but it had not", actual.id());
    }
    return this;
  }

  /**
   * Checks that the deployment's guard tripped.
   *
   * @return this assertion
   */
  public DeploymentAssert hasTrippedGuard() {
    isNotNull();
    if (actual.guardTrip().isEmpty()) {
      failWithMessage("Expected deployment %s's guard to have tripped but it had not", actual.id());
    }
    return this;
  }

  /**
   * Assertions on the deployment's statistics.
   *
   * @return assertions on the statistics
   */
  public StatisticsAssert statistics() {
    isNotNull();
    return new StatisticsAssert(actual.statistics());
  }
}
