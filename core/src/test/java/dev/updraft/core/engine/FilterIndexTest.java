package dev.updraft.core.engine;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.Generators.attributeValues;
import static dev.updraft.core.Generators.filterTerms;
import static dev.updraft.core.TestData.aDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The dynamic deployments' filter index: the same answer as evaluating every filter. */
class FilterIndexTest {
  @Test
  @DisplayName(
      "a filter index picks exactly the filters a device matches, as evaluating each one does")
  void filterIndex_matchesLikeEveryFilter() {
    Gen<Filter> filters =
        lists()
            .of(filterTerms())
            .ofSizeBetween(1, 3)
            .map((List<FilterTerm> terms) -> Filter.of(terms));
    qt().withExamples(EXAMPLES)
        .forAll(
            lists().of(filters).ofSizeBetween(0, 6),
            attributeValues().toOptionals(20),
            attributeValues().toOptionals(20))
        .checkAssert(
            (all, x, y) -> {
              Map<String, AttributeValue> attributes = new HashMap<>();
              x.ifPresent(value -> attributes.put("x", value));
              y.ifPresent(value -> attributes.put("y", value));
              Device device = aDevice("d1", "arm6").withAttributes(Scope.INVENTORY, attributes);

              assertThat(FilterIndex.of(all, filter -> filter).matching(device))
                  .isEqualTo(all.stream().filter(filter -> filter.matches(device)).toList());
            });
  }
}
