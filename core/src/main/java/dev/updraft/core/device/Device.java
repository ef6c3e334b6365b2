package dev.updraft.core.device;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A device as the server knows it: id, admission status, the state it last reported, the static
 * group it belongs to, and its scoped inventory attributes [M].
 *
 * <p>The device type, the installed artifact name and the static group each live in one place (the
 * {@link #state()} and {@link #staticGroup()} fields) and are seen by filters as the attributes
 * {@code inventory/device_type}, {@code inventory/artifact_name} and {@code system/group}; the
 * attribute map may not hold those three keys.
 */
@Value.Immutable
public abstract class Device {
  Device() {}

  /** The longest device id accepted. */
  public static final int MAX_ID_LENGTH = 256;

  /** The longest static group name accepted. */
  public static final int MAX_GROUP_LENGTH = 256;

  /** What a static group name may contain [M]. */
  public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** The most attributes a device may have. */
  public static final int MAX_ATTRIBUTES = 1024;

  /** {@return the device's unique id} */
  public abstract String id();

  /** {@return the device's admission status} */
  public abstract AdmissionStatus admission();

  /**
   * {@return the state the device last reported; absent until it reports its inventory or polls}
   */
  public abstract Optional<DeviceState> state();

  /** {@return the one static group the device belongs to, if any} */
  public abstract Optional<String> staticGroup();

  /** {@return the device's attributes, of every scope} */
  public abstract Map<AttributeKey, AttributeValue> attributes();

  /** {@return a builder; {@code id} and {@code admission} are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a device with no state, group or attributes yet}
   *
   * @param id the device's unique id
   * @param admission the device's admission status
   */
  public static Device of(String id, AdmissionStatus admission) {
    return builder().id(id).admission(admission).build();
  }

  /**
   * Validates a static group name [M], naming {@code field} when it is wrong.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param name the name
   * @return the name, when valid
   */
  public static String checkGroupName(String field, String name) {
    return Checks.pattern(field, name, MAX_GROUP_LENGTH, GROUP_NAME);
  }

  /**
   * {@return the attribute as filters see it, the device's state and group included}
   *
   * @param key the record's key
   */
  public Optional<AttributeValue> attribute(AttributeKey key) {
    AttributeValue stored = attributes().get(key); // the common case; derived keys are never stored
    if (stored != null) {
      return Optional.of(stored);
    }
    if (key.equals(AttributeKey.DEVICE_TYPE)) {
      return state().map(state -> AttributeValue.text(state.deviceType()));
    }
    if (key.equals(AttributeKey.ARTIFACT_NAME)) {
      return state().map(state -> AttributeValue.text(state.artifactName()));
    }
    if (key.equals(AttributeKey.GROUP)) {
      return staticGroup().map(AttributeValue::text);
    }
    return Optional.empty();
  }

  /** {@return whether the device is accepted: only accepted devices take part in deployments} */
  public boolean isAccepted() {
    return admission() == AdmissionStatus.ACCEPTED;
  }

  /**
   * {@return whether a snapshot target (device list, static group, all devices) keeps the device:
   * accepted, or preauthorized, which it becomes accepted from when it first authenticates [U]} A
   * preauthorized device gets its deployment at its first poll, as an accepted device.
   */
  public boolean isTargetable() {
    return isAccepted() || admission() == AdmissionStatus.PREAUTHORIZED;
  }

  /**
   * This device with {@code admission}.
   *
   * @param admission the new admission status
   * @return the changed device
   */
  public Device withAdmission(AdmissionStatus admission) {
    return copy().withAdmission(admission);
  }

  /**
   * This device in {@code state}.
   *
   * @param state what the device runs
   * @return the changed device
   */
  public Device withState(DeviceState state) {
    return copy().withState(state);
  }

  /**
   * {@return the device moved to {@code group}: a device is in at most one static group [M]}
   *
   * @param group the static group's name
   */
  public Device inGroup(String group) {
    return copy().withStaticGroup(group);
  }

  /** {@return this device out of its static group} */
  public Device withoutGroup() {
    return copy().withStaticGroup(Optional.empty());
  }

  /**
   * {@return the device with the attributes of {@code scope} replaced by {@code attributes}}
   *
   * @param scope who sets the attribute
   * @param attributes the device's attributes, of every scope
   */
  public Device withAttributes(Scope scope, Map<String, AttributeValue> attributes) {
    Map<AttributeKey, AttributeValue> merged = new LinkedHashMap<>();
    attributes()
        .forEach(
            (key, value) -> {
              if (key.scope() != scope) {
                merged.put(key, value);
              }
            });
    attributes.forEach((name, value) -> merged.put(AttributeKey.of(scope, name), value));
    return copy().withAttributes(merged);
  }

  private ImmutableDevice copy() {
    return (ImmutableDevice) ImmutableDevice.copyOf(this);
  }

  @Value.Check
  void check() {
    Checks.text("device id", id(), MAX_ID_LENGTH);
    staticGroup().ifPresent(group -> checkGroupName("group", group));
    Checks.range("attributes size", attributes().size(), 0, MAX_ATTRIBUTES);
    for (AttributeKey derived :
        new AttributeKey[] {
          AttributeKey.DEVICE_TYPE, AttributeKey.ARTIFACT_NAME, AttributeKey.GROUP
        }) {
      if (attributes().containsKey(derived)) {
        throw new InvalidInputException(
            "attributes." + derived, attributes().get(derived), "is set through its own field");
      }
    }
  }

  /** Builds a {@link Device}; see {@link #builder()}. */
  public static final class Builder extends ImmutableDevice.Builder {
    Builder() {}
  }
}
