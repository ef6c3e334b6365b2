package dev.updraft.core.device;

import dev.updraft.core.internal.WireNames;
import java.util.Locale;

/** Where a device stands with the server's device authentication [M]. */
public enum AdmissionStatus {
  /** Asked to be admitted; not yet decided. */
  PENDING,
  /** Admitted: takes part in deployments. */
  ACCEPTED,
  /** Refused. */
  REJECTED,
  /** Admitted in advance: accepted when it registers. */
  PREAUTHORIZED,
  /** Known, with no authentication set. */
  NOAUTH;

  private static final WireNames<AdmissionStatus> WIRE_NAMES =
      WireNames.of(values(), AdmissionStatus::wireName);

  /** {@return the name Mender's APIs use, e.g} {@code accepted}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the status with this wire name; anything else is invalid input naming {@code field}}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the name Mender's APIs use, e.g
   */
  public static AdmissionStatus fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
