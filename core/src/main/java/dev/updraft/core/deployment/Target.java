package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.group.SavedFilter;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A deployment's resolved target. For snapshot kinds the device ids themselves are not held here (a
 * snapshot can hold a million ids and is stored apart); {@link #fingerprint()} identifies them.
 */
@Value.Immutable
public abstract class Target {
  Target() {}

  /** {@return what the deployment targets} */
  public abstract TargetKind kind();

  /** {@return the static group, for {@link TargetKind#STATIC_GROUP}} */
  public abstract Optional<String> group();

  /** {@return the saved filter, for {@link TargetKind#DYNAMIC}} */
  public abstract Optional<SavedFilter> filter();

  /**
   * {@return devices targeted at creation: the snapshot's size, or for a dynamic target the
   * accepted devices that matched then} Phase capacities are computed from it.
   */
  public abstract long initialDeviceCount();

  /**
   * {@return a digest of the snapshot's sorted device ids (or of the filter's terms), so that
   * identical deployments are recognised without comparing snapshots}
   */
  public abstract String fingerprint();

  /**
   * {@return a builder, for restoring a stored target; new targets come from {@link
   * Deployment#create}}
   */
  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  void check() {
    if (group().isPresent() != (kind() == TargetKind.STATIC_GROUP)
        || filter().isPresent() != (kind() == TargetKind.DYNAMIC)) {
      throw new InvalidInputException(
          "target", this, "must name a group or a filter exactly when its kind needs one");
    }
  }

  /** Builds a {@link Target}; see {@link #builder()}. */
  public static final class Builder extends ImmutableTarget.Builder {
    Builder() {}
  }
}
