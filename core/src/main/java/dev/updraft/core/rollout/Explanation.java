package dev.updraft.core.rollout;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a poll by a device would decide now about each candidate deployment, oldest first, and which
 * deployment's instructions it would return [U]; see {@link Rollout#explain}.
 */
@Value.Immutable
public abstract class Explanation {
  Explanation() {}

  /** {@return a verdict for every active deployment, oldest first} */
  @Value.Parameter
  public abstract List<Verdict> verdicts();

  /** {@return the deployment the poll would give the device instructions for} */
  @Value.Parameter
  public abstract Optional<String> offered();

  /**
   * {@return an explanation of {@code verdicts}, offering {@code offered} if present}
   *
   * @param verdicts a verdict for every active deployment, oldest first
   * @param offered the deployment the poll would give the device instructions for
   */
  public static Explanation of(List<Verdict> verdicts, Optional<String> offered) {
    return new ImmutableExplanation(verdicts, offered);
  }
}
