package dev.updraft.core.rollout;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a poll decided: the instructions to return (if any), the device deployment and deployment to
 * store (if they changed), the headline reason, and a verdict for each deployment considered, in
 * the order they were considered.
 */
@Value.Immutable
public abstract class PollDecision {
  PollDecision() {}

  /** {@return the headline reason: what the poll did, or why it offered nothing} */
  public abstract Reason reason();

  /** {@return the instructions to return to the device, if it is to install something} */
  public abstract Optional<Instructions> instructions();

  /** {@return the device deployment made or changed by this poll, to store} */
  public abstract Optional<DeviceDeployment> record();

  /** {@return the deployment whose counters this poll changed, to store with the record} */
  public abstract Optional<Deployment> deployment();

  /** {@return a verdict for each deployment considered, in the order considered} */
  public abstract List<Verdict> verdicts();

  /**
   * {@return whether the poll must be answered with a conflict (the device lost its state
   * mid-update) [M]}
   */
  public boolean isConflict() {
    return reason() == Reason.STATE_CHANGED;
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutablePollDecision.Builder {}
}
