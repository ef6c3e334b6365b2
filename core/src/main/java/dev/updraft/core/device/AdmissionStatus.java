package dev.updraft.core.device;

import dev.updraft.core.internal.WireNames;
import java.util.Locale;

/** Where a device stands with the server's device authentication [M]. */
public enum AdmissionStatus {
  PENDING,
  ACCEPTED,
  REJECTED,
  PREAUTHORIZED,
  NOAUTH;

  private static final WireNames<AdmissionStatus> WIRE_NAMES =
      WireNames.of(values(), AdmissionStatus::wireName);

  /** The name Mender's APIs use, e.g. {@code accepted}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status with this wire name; anything else is invalid input naming {@code field}. */
  public static AdmissionStatus fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
