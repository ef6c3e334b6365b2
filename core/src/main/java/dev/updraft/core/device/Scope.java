package dev.updraft.core.device;

import dev.updraft.core.internal.WireNames;
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

  private static final WireNames<Scope> WIRE_NAMES = WireNames.of(values(), Scope::wireName);

  /** {@return the scope's name in Mender's API and in stored records} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the scope with this wire name; anything else is invalid input naming {@code field}}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the scope's name in Mender's API and in stored records
   */
  public static Scope fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
