package dev.updraft.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** A copied map answers as the map it copies, in its order, and cannot be changed. */
class ValuesTest {
  private static final String[] KEYS = {"inventory/a", "inventory/b", "identity/mac", "tags/x", ""};

  /** A map of up to 12 entries over a few keys, its values strings, numbers, lists or maps. */
  private static Gen<Map<String, Object>> maps() {
    Gen<Object> values =
        integers()
            .between(0, 3)
            .zip(
                integers().between(0, 99),
                (kind, n) ->
                    switch (kind) {
                      case 0 -> "v" + n;
                      case 1 -> (double) n;
                      case 2 -> List.of("a" + n, "b");
                      default -> Map.of("nested" + n % 3, n);
                    });
    return lists()
        .of(
            integers()
                .between(0, KEYS.length - 1)
                .zip(values, (key, value) -> Map.entry(KEYS[key], value)))
        .ofSizeBetween(0, 12)
        .map(
            entries -> {
              Map<String, Object> map = new LinkedHashMap<>();
              entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
              return map;
            });
  }

  @Test
  void aCopyAnswersAsTheOriginalInItsOrder() {
    qt().forAll(maps())
        .checkAssert(
            original -> {
              Map<String, Object> copy = Values.copyMap(original);
              assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
              assertThat(new ArrayList<>(copy.entrySet()))
                  .containsExactlyElementsOf(original.entrySet());
              List<String> seen = new ArrayList<>();
              copy.forEach((key, value) -> seen.add(key));
              assertThat(seen).containsExactlyElementsOf(original.keySet());
              for (String key : KEYS) {
                assertThat(copy.get(key)).isEqualTo(original.get(key));
                assertThat(copy.containsKey(key)).isEqualTo(original.containsKey(key));
              }
              assertThat(copy).hasSize(original.size());
            });
  }

  @Test
  void aCopyCannotBeChangedNorChangesWithItsSource() {
    List<Object> list = new ArrayList<>(List.of("x"));
    Map<String, Object> source = new LinkedHashMap<>(Map.of("inventory/a", list));
    Map<String, Object> copy = Values.copyMap(source);
    list.add("y");
    source.put("inventory/b", "z");

    assertThat(copy).containsExactly(Map.entry("inventory/a", List.of("x")));
    assertThatThrownBy(() -> copy.put("inventory/c", "w"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue("w"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) copy.get("inventory/a")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
