package dev.updraft.core.device;

import com.google.common.collect.ImmutableMap;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a device says about itself when it polls [M]: its device type, the name of the artifact it
 * runs, and what that software provides (e.g. {@code rootfs-image.checksum}). Artifact selection
 * reads {@link #provided(String)}, in which the device type and artifact name are provides too, as
 * Mender's {@code device_provides} has them.
 */
@Value.Immutable
public abstract class DeviceState {
  DeviceState() {}

  /** The inventory attribute that holds a device's type. */
  public static final String DEVICE_TYPE = "device_type";

  /** The inventory attribute that holds the name of the artifact a device runs. */
  public static final String ARTIFACT_NAME = "artifact_name";

  /** The longest device type or artifact name accepted. */
  public static final int MAX_NAME_LENGTH = 256;

  /** The most provides a device may report. */
  public static final int MAX_PROVIDES = 1024;

  /** The longest provides value accepted. */
  public static final int MAX_PROVIDES_VALUE_LENGTH = 4096;

  /** {@return the device's type, e.g. {@code raspberrypi4}} */
  @Value.Parameter
  public abstract String deviceType();

  /** {@return the name of the artifact the device runs} */
  @Value.Parameter
  public abstract String artifactName();

  /**
   * {@return everything else the device provides; never holds {@code device_type} or {@code
   * artifact_name}}
   */
  @Value.Parameter
  public abstract Map<String, String> provides();

  /**
   * {@return a state with provides}
   *
   * @param deviceType the device type, e.g. {@code raspberrypi4}
   * @param artifactName the name of the artifact the device runs
   * @param provides everything else the device provides; never holds {@code device_type} or {@code
   *     artifact_name}
   */
  public static DeviceState of(
      String deviceType, String artifactName, Map<String, String> provides) {
    return new ImmutableDeviceState(deviceType, artifactName, provides);
  }

  /**
   * {@return a state without provides}
   *
   * @param deviceType the device type, e.g. {@code raspberrypi4}
   * @param artifactName the name of the artifact the device runs
   */
  public static DeviceState of(String deviceType, String artifactName) {
    return of(deviceType, artifactName, ImmutableMap.of());
  }

  /**
   * Reads Mender's {@code device_provides} map (v2 {@code next}): {@code device_type} and {@code
   * artifact_name} are required, the other entries are the provides.
   *
   * @param deviceProvides the map the device sent
   * @return the state
   */
  public static DeviceState fromDeviceProvides(Map<String, String> deviceProvides) {
    Map<String, String> rest = new HashMap<>(deviceProvides);
    String type = rest.remove(DEVICE_TYPE);
    String artifact = rest.remove(ARTIFACT_NAME);
    if (type == null) {
      throw new InvalidInputException("device_provides." + DEVICE_TYPE, null, "is required");
    }
    if (artifact == null) {
      throw new InvalidInputException("device_provides." + ARTIFACT_NAME, null, "is required");
    }
    return of(type, artifact, rest);
  }

  /**
   * {@return the value this device provides under {@code key}, device type and artifact name
   * included}
   *
   * @param key the record's key
   */
  public Optional<String> provided(String key) {
    return switch (key) {
      case DEVICE_TYPE -> Optional.of(deviceType());
      case ARTIFACT_NAME -> Optional.of(artifactName());
      default -> Optional.ofNullable(provides().get(key));
    };
  }

  @Value.Check
  void check() {
    Checks.text(DEVICE_TYPE, deviceType(), MAX_NAME_LENGTH);
    Checks.text(ARTIFACT_NAME, artifactName(), MAX_NAME_LENGTH);
    Checks.keys("provides", provides(), MAX_PROVIDES, MAX_NAME_LENGTH);
    for (Map.Entry<String, String> entry : provides().entrySet()) {
      if (entry.getKey().equals(DEVICE_TYPE) || entry.getKey().equals(ARTIFACT_NAME)) {
        throw new InvalidInputException(
            "provides." + entry.getKey(), entry.getValue(), "is a field of its own, not a provide");
      }
      Checks.length("provides." + entry.getKey(), entry.getValue(), MAX_PROVIDES_VALUE_LENGTH);
    }
  }
}
