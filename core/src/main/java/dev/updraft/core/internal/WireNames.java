package dev.updraft.core.internal;

import dev.updraft.core.InvalidInputException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the enums of Mender's APIs by their wire names, refusing others with the list of valid
 * ones.
 */
public final class WireNames {
  private WireNames() {}

  /**
   * The constant of {@code values} whose wire name is {@code wireName}; anything else is invalid
   * input naming {@code field} and listing the valid names.
   */
  public static <E extends Enum<E>> E parse(
      E[] values, Function<E, String> wireNameOf, String field, String wireName) {
    for (E value : values) {
      if (wireNameOf.apply(value).equals(wireName)) {
        return value;
      }
    }
    throw new InvalidInputException(
        field,
        wireName,
        "must be one of "
            + Arrays.stream(values).map(wireNameOf).collect(Collectors.joining(", ")));
  }
}
