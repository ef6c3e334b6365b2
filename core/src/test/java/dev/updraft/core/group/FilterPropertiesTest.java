package dev.updraft.core.group;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.Generators.attributeValues;
import static dev.updraft.core.Generators.scalars;
import static dev.updraft.core.TestData.aDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FilterPropertiesTest {
  private static Device deviceWith(Optional<AttributeValue> value) {
    Device device = aDevice("d1", "arm6");
    return value.map(v -> device.withAttributes(Scope.INVENTORY, Map.of("x", v))).orElse(device);
  }

  private static boolean matches(Device device, Operator operator, Object value) {
    return FilterTerm.of(Scope.INVENTORY, "x", operator, value).matches(device);
  }

  @Test
  @DisplayName("$nin is the negation of $in, and $in is the OR of $eq over its values")
  void in_isOrOfEq_nin_isNotIn() {
    qt().withExamples(EXAMPLES)
        .forAll(attributeValues().toOptionals(20), lists().of(scalars()).ofSizeBetween(1, 4))
        .checkAssert(
            (value, values) -> {
              Device device = deviceWith(value);
              boolean in = matches(device, Operator.IN, values);

              assertThat(matches(device, Operator.NIN, values)).isEqualTo(!in);
              assertThat(in)
                  .isEqualTo(values.stream().anyMatch(v -> matches(device, Operator.EQ, v)));
            });
  }

  @Test
  @DisplayName("$ne is the negation of $eq; $lte is $lt or $eq on a scalar; $exists tells presence")
  void ne_lte_exists() {
    qt().withExamples(EXAMPLES)
        .forAll(attributeValues().toOptionals(20), scalars())
        .checkAssert(
            (value, scalar) -> {
              Device device = deviceWith(value);

              assertThat(matches(device, Operator.NE, scalar))
                  .isEqualTo(!matches(device, Operator.EQ, scalar));
              assertThat(matches(device, Operator.EXISTS, true)).isEqualTo(value.isPresent());
              if (value.isPresent() && !value.get().isList()) {
                assertThat(matches(device, Operator.LTE, scalar))
                    .isEqualTo(
                        matches(device, Operator.LT, scalar)
                            || matches(device, Operator.EQ, scalar));
                assertThat(matches(device, Operator.GT, scalar))
                    .isEqualTo(
                        matches(device, Operator.GTE, scalar)
                            && !matches(device, Operator.EQ, scalar));
              }
            });
  }
}
