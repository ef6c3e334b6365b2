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
  /** Offered, not yet reported on. */
  PENDING("pending"),
  /** Downloading the artifact. */
  DOWNLOADING("downloading"),
  /** Installing the artifact. */
  INSTALLING("installing"),
  /** Rebooting into the update. */
  REBOOTING("rebooting"),
  /** Paused by a state script before installing. */
  PAUSE_BEFORE_INSTALLING("pause_before_installing"),
  /** Paused by a state script before committing. */
  PAUSE_BEFORE_COMMITTING("pause_before_committing"),
  /** Paused by a state script before rebooting. */
  PAUSE_BEFORE_REBOOTING("pause_before_rebooting"),
  /** Installed and committed. */
  SUCCESS("success"),
  /** Failed, with no retry left. */
  FAILURE("failure"),
  /** No artifact of the release fits the device. */
  NOARTIFACT("noartifact"),
  /** The device already runs the release. */
  ALREADY_INSTALLED("already-installed"),
  /** The deployment was aborted before the device finished. */
  ABORTED("aborted"),
  /** The device was decommissioned. */
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

  /** {@return the name in Mender's APIs, e.g} {@code already-installed}. */
  public String wireName() {
    return wireName;
  }

  /** {@return whether a device deployment in this status is still in progress} */
  public boolean isOpen() {
    return ordinal() <= PAUSE_BEFORE_REBOOTING.ordinal();
  }

  /** {@return whether this status ends a device deployment} */
  public boolean isFinished() {
    return !isOpen();
  }

  /** {@return whether a device may report this status itself} */
  public boolean isReportable() {
    return REPORTABLE.contains(this);
  }

  /**
   * {@return the status with this wire name; anything else is invalid input naming {@code field}}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the name in Mender's APIs, e.g
   */
  public static DeviceDeploymentStatus fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }

  /**
   * {@return the status a device reports [M]; anything a device may not report (e.g} {@code
   * aborted}) is invalid input naming {@code field}.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the name in Mender's APIs, e.g
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
   * @param next the cursor of the next page, if any
   * @param id the id
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
