package dev.updraft.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * An unmodifiable map with string keys, in a given order, held in one array of keys and values side
 * by side. A store may keep millions of these (every device's attributes): a linked hash map spends
 * an object per entry, a table, the map and a wrapper, each read of a device visiting all of them,
 * where this is the array and its header. A lookup by key scans the array, so it suits maps read
 * whole, as records' maps are.
 */
final class CompactMap extends AbstractMap<String, Object> {
  /** {@code key0, value0, key1, value1, …}; never modified. */
  private final Object[] keysAndValues;

  private CompactMap(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /**
   * The entries of {@code map}, in its iteration order, with {@code value} applied to each value.
   *
   * @param value the value
   */
  static CompactMap of(Map<?, ?> map, UnaryOperator<Object> value) {
    Object[] keysAndValues = new Object[2 * map.size()];
    int[] at = {0};
    map.forEach(
        (key, element) -> {
          keysAndValues[at[0]++] = (String) Objects.requireNonNull(key, "key");
          keysAndValues[at[0]++] = value.apply(element);
        });
    return new CompactMap(keysAndValues);
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  /**
   * @param key the record's key
   */
  @Override
  public Object get(Object key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return keysAndValues[i + 1];
      }
    }
    return null;
  }

  /**
   * @param key the record's key
   */
  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /**
   * @param action what a trip does
   */
  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      action.accept((String) keysAndValues[i], keysAndValues[i + 1]);
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return CompactMap.this.size();
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keysAndValues.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Entry<String, Object> entry =
                new SimpleImmutableEntry<>((String) keysAndValues[next], keysAndValues[next + 1]);
            next += 2;
            return entry;
          }
        };
      }
    };
  }
}
