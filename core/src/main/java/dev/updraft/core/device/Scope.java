package dev.updraft.core.device;

import dev.updraft.core.InvalidInputException;
import java.util.Locale;

/** Who owns an inventory attribute [M]. */
public enum Scope {
  /** The identity data a device authenticates with. */
  IDENTITY,
  /** Reported by the device itself. */
  INVENTORY,
  /** Set by the server: {@code group}, {@code created_ts}, {@code updated_ts}. */
  SYSTEM,
  /** Set by users. */
  TAGS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope with this wire name; anything else is invalid input naming {@code field}. */
  public static Scope fromWireName(String field, String wireName) {
    for (Scope scope : values()) {
      if (scope.wireName().equals(wireName)) {
        return scope;
      }
    }
    throw new InvalidInputException(
        field, wireName, "must be one of identity, inventory, system, tags");
  }
}
