package dev.updraft.core.deployment;

import dev.updraft.core.internal.Checks;
import java.time.Instant;
import org.immutables.value.Value;

/** One line of a device's deployment log [M]: timestamp, level and text. */
@Value.Immutable
public abstract class LogMessage {
  LogMessage() {}

  /** The longest level accepted. */
  public static final int MAX_LEVEL_LENGTH = 32;

  /** {@return when the device logged the message} */
  @Value.Parameter
  public abstract Instant timestamp();

  /** {@return the message's level, as the device gave it (e.g. {@code info})} */
  @Value.Parameter
  public abstract String level();

  /** {@return the message's text} */
  @Value.Parameter
  public abstract String text();

  /**
   * {@return a log message}
   *
   * @param level its level
   * @param timestamp when the device logged the message
   * @param text the message's text
   */
  public static LogMessage of(Instant timestamp, String level, String text) {
    return new ImmutableLogMessage(timestamp, level, text);
  }

  @Value.Check
  void check() {
    Checks.text("level", level(), MAX_LEVEL_LENGTH);
  }
}
