package dev.updraft.core.internal;

import com.google.common.collect.ImmutableMap;
import dev.updraft.core.InvalidInputException;
import java.util.function.Function;

/**
 * Reads one of the enums of Mender's APIs by its wire names, refusing others with the list of valid
 * ones. Built once per enum: a read is one map lookup (statuses are read on every poll).
 */
public final class WireNames<E extends Enum<E>> {
  private final ImmutableMap<String, E> byWireName;

  private WireNames(ImmutableMap<String, E> byWireName) {
    this.byWireName = byWireName;
  }

  /**
   * {@return the wire names of {@code values}, which must be distinct}
   *
   * @param values the values
   */
  public static <E extends Enum<E>> WireNames<E> of(E[] values, Function<E, String> wireNameOf) {
    ImmutableMap.Builder<String, E> byWireName = ImmutableMap.builder();
    for (E value : values) {
      byWireName.put(wireNameOf.apply(value), value);
    }
    return new WireNames<>(byWireName.buildOrThrow());
  }

  /**
   * {@return the constant whose wire name is {@code wireName}; anything else is invalid input
   * naming {@code field} and listing the valid names}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the name as Mender's API gives it
   */
  public E parse(String field, String wireName) {
    E value = byWireName.get(wireName);
    if (value == null) {
      throw new InvalidInputException(
          field, wireName, "must be one of " + String.join(", ", byWireName.keySet()));
    }
    return value;
  }
}
