package dev.updraft.core.deployment;

import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.internal.WireNames;
import java.util.EnumSet;
import java.util.Set;

/**
 * The status of one device's deployment [M]: seven open statuses and six finished ones. {@link
 * #transition} holds the transition table of the device deployment lifecycle.
 */
public enum DeviceDeploymentStatus {
  PENDING("pending"),
  DOWNLOADING("downloading"),
  INSTALLING("installing"),
  REBOOTING("rebooting"),
  PAUSE_BEFORE_INSTALLING("pause_before_installing"),
  PAUSE_BEFORE_COMMITTING("pause_before_committing"),
  PAUSE_BEFORE_REBOOTING("pause_before_rebooting"),
  SUCCESS("success"),
  FAILURE("failure"),
  NOARTIFACT("noartifact"),
  ALREADY_INSTALLED("already-installed"),
  ABORTED("aborted"),
  DECOMMISSIONED("decommissioned");

  private static final WireNames<DeviceDeploymentStatus> WIRE_NAMES =
      WireNames.of(values(), DeviceDeploymentStatus::wireName);

  /** What a device may report [M]. */
  private static final Set<DeviceDeploymentStatus> REPORTABLE =
      EnumSet.of(
          DOWNLOADING,
          INSTALLING,
          REBOOTING,
          PAUSE_BEFORE_INSTALLING,
          PAUSE_BEFORE_COMMITTING,
          PAUSE_BEFORE_REBOOTING,
          SUCCESS,
          FAILURE,
          ALREADY_INSTALLED);

  private static final WireNames<DeviceDeploymentStatus> REPORTABLE_WIRE_NAMES =
      WireNames.of(
          REPORTABLE.toArray(DeviceDeploymentStatus[]::new), DeviceDeploymentStatus::wireName);

  private final String wireName;

  DeviceDeploymentStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name in Mender's APIs, e.g. {@code already-installed}. */
  public String wireName() {
    return wireName;
  }

  public boolean isOpen() {
    return ordinal() <= PAUSE_BEFORE_REBOOTING.ordinal();
  }

  public boolean isFinished() {
    return !isOpen();
  }

  /** Whether a device may report this status itself. */
  public boolean isReportable() {
    return REPORTABLE.contains(this);
  }

  /** The status with this wire name; anything else is invalid input naming {@code field}. */
  public static DeviceDeploymentStatus fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }

  /**
   * The status a device reports [M]; anything a device may not report (e.g. {@code aborted}) is
   * invalid input naming {@code field}.
   */
  public static DeviceDeploymentStatus fromReport(String field, String wireName) {
    return REPORTABLE_WIRE_NAMES.parse(field, wireName);
  }

  /**
   * Checks the move from this status to {@code next} for the device deployment {@code id} [M, U]:
   * repeating the current status is a no-op ({@code false}); open to open, in any order, and open
   * to finished are changes ({@code true}); from {@code aborted} or {@code decommissioned} anything
   * else is a {@link ConflictException} [M]; from another finished status it is an {@link
   * IllegalTransitionException} [U].
   *
   * @return whether the status changes
   */
  public boolean transition(DeviceDeploymentStatus next, String id) {
    if (next == this) {
      return false;
    }
    if (this == ABORTED || this == DECOMMISSIONED) {
      throw new ConflictException(
          "device deployment", id, "is " + wireName + ", not " + next.wireName);
    }
    if (isFinished()) {
      throw new IllegalTransitionException("device deployment", id, wireName, next.wireName);
    }
    return true;
  }
}
