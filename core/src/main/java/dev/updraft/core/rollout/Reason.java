package dev.updraft.core.rollout;

/** Why a poll decided what it did, for one deployment or for the poll as a whole [U]. */
public enum Reason {
  /** The device is not known. */
  UNKNOWN_DEVICE,
  /** The device is not accepted; only accepted devices take part. */
  NOT_ACCEPTED,
  /** The device has an open device deployment here and continues it. */
  CONTINUED,
  /** The deployment was offered: a device deployment was made and instructions returned. */
  OFFERED,
  /**
   * A device deployment was made and finished at once: no artifact of the release is compatible.
   */
  NO_ARTIFACT,
  /** A device deployment was made and finished at once: the device already runs the release. */
  ALREADY_INSTALLED,
  /** The device polled mid-update with another state than on its first poll: its record failed. */
  STATE_CHANGED,
  /**
   * The device's open record went too long without a report: it failed with substatus {@code timed
   * out} (or went back to pending for a retry) [U].
   */
  TIMED_OUT,
  /** The deployment would be for the device, but an older one comes first [U]. */
  BEHIND_ANOTHER,
  /** The deployment has finished. */
  FINISHED,
  /** The deployment is not newer than the newest one the device has finished. */
  OLDER_THAN_LAST_FINISHED,
  /** The device is not in the deployment's snapshot. */
  NOT_TARGETED,
  /** The device does not match the deployment's filter; the detail names the term. */
  FILTER_MISMATCH,
  /** The deployment's first phase starts in the future. */
  SCHEDULED,
  /** The deployment is paused. */
  PAUSED,
  /** The deployment has handed out its maximum number of devices. */
  FULL,
  /**
   * No phase that has started has room; the detail says when the next starts. Also the headline
   * reason of a poll that a closed phase held back and nothing else started.
   */
  PHASE_NOT_OPEN,
  /** No active deployment is for this device now. */
  NOTHING_ELIGIBLE
}
