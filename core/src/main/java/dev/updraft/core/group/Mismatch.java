package dev.updraft.core.group;

import dev.updraft.core.device.AttributeValue;
import java.util.Optional;
import org.immutables.value.Value;

/** The filter term a device failed, and the device's value of that attribute (if it has one). */
@Value.Immutable
public abstract class Mismatch {
  Mismatch() {}

  /** {@return the position of the failed term in the filter} */
  @Value.Parameter
  public abstract int index();

  /** {@return the failed term} */
  @Value.Parameter
  public abstract FilterTerm term();

  /** {@return the device's value of the attribute, absent when it has none} */
  @Value.Parameter
  public abstract Optional<AttributeValue> actual();

  /**
   * {@return the term at {@code index} failed on the device's value}
   *
   * @param index the position of the failed term in the filter
   * @param term the failed term
   * @param actual the device's value of the attribute, absent when it has none
   */
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
