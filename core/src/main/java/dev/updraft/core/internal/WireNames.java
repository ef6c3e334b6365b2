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

  /** The wire names of {@code values}, which must be distinct. */
  public static <E extends Enum<E>> WireNames<E> of(E[] values, Function<E, String> wireNameOf) {
    ImmutableMap.Builder<String, E> byWireName = ImmutableMap.builder();
    for (E value : values) {
      byWireName.put(wireNameOf.apply(value), value);
    }
    return new WireNames<>(byWireName.buildOrThrow());
  }

  /**
   * The constant whose wire name is {@code wireName}; anything else is invalid input naming {@code
   * field} and listing the valid names.
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
