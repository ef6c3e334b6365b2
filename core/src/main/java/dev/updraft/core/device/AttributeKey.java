package dev.updraft.core.device;

import dev.updraft.core.internal.Checks;
import org.immutables.value.Value;

/** The name of an inventory attribute within its scope, e.g. {@code inventory/device_type}. */
@Value.Immutable
public abstract class AttributeKey {
  AttributeKey() {}

  /** The longest attribute name accepted. */
  public static final int MAX_NAME_LENGTH = 1024;

  /** Inventory attribute the device type is reported as. */
  public static final AttributeKey DEVICE_TYPE = of(Scope.INVENTORY, "device_type");

  /** Inventory attribute the installed artifact is reported as. */
  public static final AttributeKey ARTIFACT_NAME = of(Scope.INVENTORY, "artifact_name");

  /** System attribute that holds a device's static group. */
  public static final AttributeKey GROUP = of(Scope.SYSTEM, "group");

  /** {@return who sets the attribute} */
  @Value.Parameter
  public abstract Scope scope();

  /** {@return the attribute's name within its scope} */
  @Value.Parameter
  public abstract String name();

  /**
   * {@return the key of attribute {@code name} in {@code scope}}
   *
   * @param scope who sets the attribute
   * @param name the attribute's name within its scope
   */
  public static AttributeKey of(Scope scope, String name) {
    return new ImmutableAttributeKey(scope, name);
  }

  @Value.Check
  void check() {
    Checks.text("attribute", name(), MAX_NAME_LENGTH);
  }

  @Override
  public String toString() {
    return scope().wireName() + "/" + name();
  }
}
