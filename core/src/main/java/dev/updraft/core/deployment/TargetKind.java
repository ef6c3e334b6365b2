package dev.updraft.core.deployment;

/** What a deployment targets [M, seed]. */
public enum TargetKind {
  /** A list of device ids, resolved to a snapshot at creation. */
  DEVICE_LIST,
  /** The members of a static group at creation. */
  STATIC_GROUP,
  /** Every accepted device at creation [M]. */
  ALL_DEVICES,
  /** Every accepted device that matches a saved filter when it polls; no snapshot [M]. */
  DYNAMIC;

  /** {@return whether the targeted devices are fixed at creation} */
  public boolean isSnapshot() {
    return this != DYNAMIC;
  }
}
