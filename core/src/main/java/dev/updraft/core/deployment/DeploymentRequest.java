package dev.updraft.core.deployment;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.Device;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.internal.Checks;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A request to create a deployment, in the shape of Mender's APIs [M]: a name, the release
 * (Mender's {@code artifact_name}), exactly one target (a device list, a static group, all devices,
 * or a saved filter) and options. Building it checks each field on its own; {@link
 * Deployment#create} checks it against the fleet.
 */
@Value.Immutable
public abstract class DeploymentRequest {
  DeploymentRequest() {}

  /** The longest deployment name accepted [M]. */
  public static final int MAX_NAME_LENGTH = 256;

  /** The most device ids a device-list request may name [U]. */
  public static final int MAX_DEVICES = 1_000_000;

  /** {@return the deployment's name} */
  public abstract String name();

  /** {@return the name of the release to deploy} */
  public abstract String releaseName();

  /** {@return the device ids, for a device-list target} */
  public abstract List<String> devices();

  /** {@return a static group, for a group target} */
  public abstract Optional<String> group();

  /** {@return whether every accepted device is targeted} */
  @Value.Default
  public boolean allDevices() {
    return false;
  }

  /** {@return a saved filter, for a dynamic target} */
  public abstract Optional<SavedFilter> filter();

  /** {@return the deployment's options; {@link DeploymentOptions#defaults()} unless set} */
  @Value.Default
  public DeploymentOptions options() {
    return DeploymentOptions.defaults();
  }

  /**
   * {@return a builder of a request; {@code name}, {@code releaseName} and one target (devices, a
   * group, all devices or a filter) are required}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the kind of target this request names} */
  public TargetKind targetKind() {
    if (!devices().isEmpty()) {
      return TargetKind.DEVICE_LIST;
    }
    if (group().isPresent()) {
      return TargetKind.STATIC_GROUP;
    }
    return allDevices() ? TargetKind.ALL_DEVICES : TargetKind.DYNAMIC;
  }

  @Value.Check
  void check() {
    Checks.text("name", name(), MAX_NAME_LENGTH);
    Checks.text("artifact_name", releaseName(), MAX_NAME_LENGTH);
    Checks.size("devices", devices(), 0, MAX_DEVICES);
    for (int index = 0; index < devices().size(); index++) {
      Checks.text("devices[" + index + "]", devices().get(index), Device.MAX_ID_LENGTH);
    }
    group().ifPresent(group -> Device.checkGroupName("group", group));
    int targets =
        (devices().isEmpty() ? 0 : 1)
            + (group().isPresent() ? 1 : 0)
            + (allDevices() ? 1 : 0)
            + (filter().isPresent() ? 1 : 0);
    if (targets == 0) {
      throw new InvalidInputException(
          "target", "nothing", "must be one of devices, group, all_devices or filter");
    }
    if (targets > 1) {
      throw new InvalidInputException(
          "target",
          targets + " targets",
          "must be only one of devices, group, all_devices or filter");
    }
  }

  /** Builds a {@link DeploymentRequest}; see {@link #builder()}. */
  public static final class Builder extends ImmutableDeploymentRequest.Builder {
    Builder() {}
  }
}
