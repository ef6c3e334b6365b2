package dev.updraft.core.deployment;

import dev.updraft.core.internal.WireNames;
import java.util.Locale;

/** What a rollout guard does when it trips [U]. */
public enum GuardAction {
  /** No new device starts; devices already in progress continue. */
  PAUSE,
  /** The deployment is aborted, as by a user. */
  ABORT;

  private static final WireNames<GuardAction> WIRE_NAMES =
      WireNames.of(values(), GuardAction::wireName);

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action with this wire name; anything else is invalid input naming {@code field}. */
  public static GuardAction fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
