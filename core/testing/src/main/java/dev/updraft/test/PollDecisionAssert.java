package dev.updraft.test;

import dev.updraft.core.rollout.PollDecision;
import dev.updraft.core.rollout.Reason;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link PollDecision}; see {@link UpdraftAssertions}. */
public final class PollDecisionAssert extends AbstractAssert<PollDecisionAssert, PollDecision> {
  PollDecisionAssert(PollDecision actual) {
    super(actual, PollDecisionAssert.class);
  }

  /**
   * Checks that the poll offered the deployment {@code deploymentId}.
   *
   * @param deploymentId the deployment it must offer
   * @return this assertion
   */
  public PollDecisionAssert offers(String deploymentId) {
    isNotNull();
    String offered =
        actual.instructions().map(instructions -> instructions.deploymentId()).orElse(null);
    if (!deploymentId.equals(offered)) {
      failWithMessage(
          "Expected the poll to offer deployment %s but it %s (reason %s, verdicts %s)",
          deploymentId,
          offered == null ? "offered none" : "offered " + offered,
          actual.reason(),
          actual.verdicts());
    }
    return this;
  }

  /**
   * Checks that the poll offered nothing.
   *
   * @return this assertion
   */
  public PollDecisionAssert offersNothing() {
    isNotNull();
    if (actual.instructions().isPresent()) {
      failWithMessage(
          "Expected the poll to offer nothing but it offered %s",
          actual.instructions().get().deploymentId());
    }
    return this;
  }

  /**
   * Checks the poll's headline reason.
   *
   * @param reason the reason it must give
   * @return this assertion
   */
  public PollDecisionAssert hasReason(Reason reason) {
    isNotNull();
    if (actual.reason() != reason) {
      failWithMessage(
          "Expected the poll's reason to be %s but it was %s (verdicts %s)",
          reason, actual.reason(), actual.verdicts());
    }
    return this;
  }
}
