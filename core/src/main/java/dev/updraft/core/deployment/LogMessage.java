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

  @Value.Parameter
  public abstract Instant timestamp();

  @Value.Parameter
  public abstract String level();

  @Value.Parameter
  public abstract String text();

  public static LogMessage of(Instant timestamp, String level, String text) {
    return new ImmutableLogMessage(timestamp, level, text);
  }

  @Value.Check
  void check() {
    Checks.text("level", level(), MAX_LEVEL_LENGTH);
  }
}
