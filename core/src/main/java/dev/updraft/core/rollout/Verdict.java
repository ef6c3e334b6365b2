package dev.updraft.core.rollout;

import org.immutables.value.Value;

/** What a poll concluded about one deployment, with a human-readable detail. */
@Value.Immutable
public abstract class Verdict {
  Verdict() {}

  @Value.Parameter
  public abstract String deploymentId();

  @Value.Parameter
  public abstract Reason reason();

  @Value.Parameter
  public abstract String detail();

  public static Verdict of(String deploymentId, Reason reason, String detail) {
    return new ImmutableVerdict(deploymentId, reason, detail);
  }

  @Override
  public String toString() {
    return deploymentId() + ": " + reason() + (detail().isEmpty() ? "" : " (" + detail() + ")");
  }
}
