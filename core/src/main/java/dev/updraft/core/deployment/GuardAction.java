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

  /** {@return the action's name in the API and in stored records} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the action with this wire name; anything else is invalid input naming {@code field}}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the action's name in the API and in stored records
   */
  public static GuardAction fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
