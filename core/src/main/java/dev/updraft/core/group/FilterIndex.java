package dev.updraft.core.group;

import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.Device;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Many filters, matched against one device at a time without evaluating them all [U]. Each filter
 * with an {@code $eq} or {@code $in} term is filed under that term's attribute and value(s) (its
 * first such term); a device's values of the filed attributes pick the filters it could match, and
 * only those, with the filters that have no such term, are evaluated in full. The answer is the
 * same as evaluating every filter: a device whose value differs from a filter's {@code $eq} value
 * fails that filter anyway. Immutable, so safe to share between threads.
 */
public final class FilterIndex<T> {
  private final List<T> items;
  private final List<Filter> filters;

  /** By attribute, then by required value: the positions of the filters filed there. */
  private final Map<AttributeKey, Map<Object, BitSet>> filed = new HashMap<>();

  /** The positions of the filters with no {@code $eq} or {@code $in} term. */
  private final BitSet unfiled = new BitSet();

  private FilterIndex(List<T> items, Function<T, Filter> filterOf) {
    this.items = List.copyOf(items);
    this.filters = this.items.stream().map(filterOf).toList();
    for (int position = 0; position < filters.size(); position++) {
      Optional<FilterTerm> key = keyTerm(filters.get(position));
      if (key.isEmpty()) {
        unfiled.set(position);
        continue;
      }
      Map<Object, BitSet> byValue =
          filed.computeIfAbsent(key.get().attribute(), attribute -> new HashMap<>());
      List<?> values =
          key.get().operator() == Operator.IN
              ? (List<?>) key.get().value()
              : List.of(key.get().value());
      for (Object value : values) {
        byValue.computeIfAbsent(normalized(value), v -> new BitSet()).set(position);
      }
    }
  }

  /** An index of {@code items}, each matched by the filter {@code filterOf} gives it. */
  public static <T> FilterIndex<T> of(List<T> items, Function<T, Filter> filterOf) {
    return new FilterIndex<>(items, filterOf);
  }

  /** The items whose filter {@code device} matches, in the order they were given. */
  public List<T> matching(Device device) {
    BitSet candidates = (BitSet) unfiled.clone();
    filed.forEach(
        (attribute, byValue) ->
            device
                .attribute(attribute)
                .ifPresent(
                    value -> {
                      add(candidates, byValue, value.texts());
                      add(candidates, byValue, value.numbers());
                    }));
    List<T> matching = new ArrayList<>();
    for (int position = candidates.nextSetBit(0);
        position >= 0;
        position = candidates.nextSetBit(position + 1)) {
      if (filters.get(position).matches(device)) {
        matching.add(items.get(position));
      }
    }
    return matching;
  }

  private static void add(BitSet candidates, Map<Object, BitSet> byValue, List<?> elements) {
    for (int i = 0; i < elements.size(); i++) {
      BitSet filters = byValue.get(normalized(elements.get(i)));
      if (filters != null) {
        candidates.or(filters);
      }
    }
  }

  /** The term a filter is filed under: its first {@code $eq} or {@code $in} term. */
  private static Optional<FilterTerm> keyTerm(Filter filter) {
    return filter.terms().stream()
        .filter(term -> term.operator() == Operator.EQ || term.operator() == Operator.IN)
        .findFirst();
  }

  /**
   * A value as a map key that is equal exactly when {@code $eq} says so: {@code -0.0} and {@code
   * 0.0} are equal numbers but unequal {@link Double}s.
   */
  private static Object normalized(Object value) {
    return value instanceof Double number && number == 0 ? (Object) 0.0 : value;
  }
}
