package dev.updraft.core.rollout;

import org.immutables.value.Value;

/** What a poll concluded about one deployment, with a human-readable detail. */
@Value.Immutable
public abstract class Verdict {
  Verdict() {}

  /** {@return the deployment the verdict is about} */
  @Value.Parameter
  public abstract String deploymentId();

  /** {@return why the poll decided what it did about the deployment} */
  @Value.Parameter
  public abstract Reason reason();

  /** {@return details for a person: the failed term, the phase awaited; may be empty} */
  @Value.Parameter
  public abstract String detail();

  /**
   * {@return a verdict on {@code deploymentId}}
   *
   * @param deploymentId the deployment the verdict is about
   * @param reason why the poll decided what it did about the deployment
   * @param detail details for a person: the failed term, the phase awaited; may be empty
   */
  public static Verdict of(String deploymentId, Reason reason, String detail) {
    return new ImmutableVerdict(deploymentId, reason, detail);
  }

  @Override
  public String toString() {
    return deploymentId() + ": " + reason() + (detail().isEmpty() ? "" : " (" + detail() + ")");
  }
}
