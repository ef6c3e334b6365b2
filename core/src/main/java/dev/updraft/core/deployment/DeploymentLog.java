package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import java.util.List;
import org.immutables.value.Value;

/**
 * The log a device uploads for one device deployment [M]: messages with timestamp, level and text.
 * An upload replaces the previous log; an empty one or one over the size limit is refused, and the
 * previous log stays.
 */
@Value.Immutable
public abstract class DeploymentLog {
  DeploymentLog() {}

  /** The most characters of message text one log may hold in all [U]. */
  public static final int MAX_TEXT = 1 << 20;

  /** {@return the messages, in the order the device sent them} */
  @Value.Parameter
  public abstract List<LogMessage> messages();

  /**
   * A log of {@code messages}.
   *
   * @param messages the messages, at least one
   * @return the log
   * @throws dev.updraft.core.InvalidInputException when there are none or their text is too long
   */
  public static DeploymentLog of(List<LogMessage> messages) {
    return new ImmutableDeploymentLog(messages);
  }

  @Value.Check
  void check() {
    if (messages().isEmpty()) {
      throw new InvalidInputException("messages", "[]", "must not be empty");
    }
    long text = messages().stream().mapToLong(message -> message.text().length()).sum();
    if (text > MAX_TEXT) {
      throw new InvalidInputException(
          "messages", text + " characters", "must hold at most " + MAX_TEXT + " characters");
    }
  }
}
