package dev.updraft.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of JSON-shaped values (strings, numbers, booleans, lists and maps of
 * them), so that no record shares mutable state with its caller.
 */
public final class Values {
  private Values() {}

  /**
   * {@return an unmodifiable deep copy of a JSON-shaped value; anything else is refused}
   *
   * @param value the value
   */
  public static Object copy(Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(element -> copy.add(copy(element)));
      return List.copyOf(copy);
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map);
    }
    throw new IllegalArgumentException("not a JSON-shaped value: " + value.getClass().getName());
  }

  /**
   * {@return an unmodifiable deep copy of a map with string keys, in the map's iteration order,
   * held compactly (a {@link CompactMap}: one array)}
   *
   * @param map the map to copy
   */
  public static Map<String, Object> copyMap(Map<?, ?> map) {
    return CompactMap.of(map, Values::copy);
  }
}
