package dev.updraft.core.group;

import dev.updraft.core.device.AttributeValue;
import java.util.Optional;
import org.immutables.value.Value;

/** The filter term a device failed, and the device's value of that attribute (if it has one). */
@Value.Immutable
public abstract class Mismatch {
  Mismatch() {}

  @Value.Parameter
  public abstract int index();

  @Value.Parameter
  public abstract FilterTerm term();

  @Value.Parameter
  public abstract Optional<AttributeValue> actual();

  public static Mismatch of(int index, FilterTerm term, Optional<AttributeValue> actual) {
    return new ImmutableMismatch(index, term, actual);
  }

  @Override
  public String toString() {
    return "terms["
        + index()
        + "] "
        + term()
        + " failed: device has "
        + actual().map(Object::toString).orElse("no such attribute");
  }
}
