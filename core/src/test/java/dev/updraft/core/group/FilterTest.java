package dev.updraft.core.group;

import static dev.updraft.core.TestData.aDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterTest {
  /** A device with a string, a number, a string list, a number list; no attribute "missing". */
  private static final Device DEVICE =
      aDevice("d1", "arm6")
          .inGroup("north")
          .withAttributes(
              Scope.INVENTORY,
              Map.of(
                  "os", AttributeValue.text("linux"),
                  "ram", AttributeValue.number(512),
                  "ifaces", AttributeValue.texts(List.of("eth0", "wlan0")),
                  "ports", AttributeValue.numbers(List.of(22.0, 443.0))));

  private static Arguments row(String attribute, String operator, Object value, boolean matches) {
    return Arguments.of(attribute, operator, value, matches);
  }

  static Stream<Arguments> operatorTable() {
    return Stream.of(
        row("os", "$eq", "linux", true),
        row("os", "$eq", "Linux", false),
        row("ram", "$eq", 512, true),
        row("ram", "$eq", 512.0, true),
        row("ram", "$eq", "512", false),
        row("os", "$eq", 1, false),
        row("ifaces", "$eq", "wlan0", true),
        row("ifaces", "$eq", "lo", false),
        row("ports", "$eq", 443, true),
        row("missing", "$eq", "x", false),
        row("os", "$ne", "linux", false),
        row("os", "$ne", "windows", true),
        row("ram", "$ne", "512", true),
        row("ifaces", "$ne", "eth0", false),
        row("missing", "$ne", "x", true),
        row("ram", "$gt", 256, true),
        row("ram", "$gt", 512, false),
        row("ram", "$gt", "256", false),
        row("os", "$gt", "abc", true),
        row("ram", "$gte", 512, true),
        row("ram", "$gte", 513, false),
        row("ram", "$lt", 1024, true),
        row("ram", "$lt", 512, false),
        row("ram", "$lte", 512, true),
        row("ram", "$lte", 511.5, false),
        row("ports", "$gt", 400, true),
        row("ports", "$lt", 22, false),
        row("missing", "$lt", 1, false),
        row("os", "$in", List.of("bsd", "linux"), true),
        row("os", "$in", List.of("bsd"), false),
        row("ram", "$in", List.of("512", 512), true),
        row("ifaces", "$in", List.of("lo", "eth0"), true),
        row("missing", "$in", List.of("x"), false),
        row("os", "$nin", List.of("bsd", "linux"), false),
        row("os", "$nin", List.of("bsd"), true),
        row("ifaces", "$nin", List.of("eth0"), false),
        row("missing", "$nin", List.of("x"), true),
        row("os", "$exists", true, true),
        row("os", "$exists", false, false),
        row("missing", "$exists", true, false),
        row("missing", "$exists", false, true),
        row("os", "$regex", "lin", true),
        row("os", "$regex", "inux", false),
        row("os", "$regex", "l.n.x$", true),
        row("ifaces", "$regex", "wl", true),
        row("ram", "$regex", "5", false),
        row("missing", "$regex", ".*", false));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("operatorTable")
  void matches_operatorTable(String attribute, String operator, Object value, boolean matches) {
    Filter filter =
        Filter.fromJson(
            List.of(
                Map.of(
                    "scope",
                    "inventory",
                    "attribute",
                    attribute,
                    "type",
                    operator,
                    "value",
                    value)));

    assertThat(filter.matches(DEVICE)).isEqualTo(matches);
    assertThat(filter.mismatch(DEVICE).isEmpty()).isEqualTo(matches);
  }

  @Test
  @DisplayName("terms are ANDed, and the first failing term is named with the device's value")
  void mismatch_namesFirstFailingTermAndValue() {
    Filter filter =
        Filter.of(
            FilterTerm.of(Scope.SYSTEM, "group", Operator.EQ, "north"),
            FilterTerm.of(Scope.INVENTORY, "ram", Operator.GTE, 1024),
            FilterTerm.of(Scope.INVENTORY, "os", Operator.EQ, "bsd"));

    assertThat(filter.matches(DEVICE)).isFalse();
    Mismatch mismatch = filter.mismatch(DEVICE).orElseThrow();
    assertThat(mismatch.index()).isEqualTo(1);
    assertThat(mismatch.actual()).contains(AttributeValue.number(512));
    assertThat(mismatch.toString())
        .isEqualTo("terms[1] inventory/ram $gte 1024.0 failed: device has 512.0");
  }

  @Test
  void fromJson_roundTripsThroughToJson() {
    List<Map<String, Object>> json =
        List.of(
            Map.of(
                "scope",
                "inventory",
                "attribute",
                "device_type",
                "type",
                "$in",
                "value",
                List.of("arm6", "arm7")),
            Map.of("scope", "tags", "attribute", "site", "type", "$exists", "value", true));

    Filter filter = Filter.fromJson(json);

    assertThat(Filter.fromJson(filter.toJson())).isEqualTo(filter);
    assertThat(filter.terms().get(0).operator()).isEqualTo(Operator.IN);
  }

  static Stream<Arguments> invalidTerms() {
    Map<String, Object> valid =
        Map.of("scope", "inventory", "attribute", "os", "type", "$eq", "value", "x");
    return Stream.of(
        Arguments.of(with(valid, "scope", "hardware"), "terms[0].scope"),
        Arguments.of(with(valid, "scope", null), "terms[0].scope"),
        Arguments.of(with(valid, "attribute", " "), "terms[0].attribute"),
        Arguments.of(with(valid, "type", "$like"), "terms[0].type"),
        Arguments.of(with(valid, "value", null), "terms[0].value"),
        Arguments.of(with(valid, "value", true), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$in"), "value", "x"), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$in"), "value", List.of()), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$exists"), "value", "yes"), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$regex"), "value", "(unclosed"), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$regex"), "value", 5), "terms[0].value"),
        Arguments.of(with(with(valid, "type", "$gt"), "value", List.of(1)), "terms[0].value"));
  }

  @ParameterizedTest(name = "{0} refused at {1}")
  @MethodSource("invalidTerms")
  @DisplayName("an invalid term is refused when the filter is built, naming the term's field")
  void fromJson_invalidTerm_refusedNamingField(Map<String, Object> term, String field) {
    assertThatThrownBy(() -> Filter.fromJson(List.of(term)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void fromJson_notAListOrEmpty_refused() {
    assertThatThrownBy(() -> Filter.fromJson(Map.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("terms"));
    assertThatThrownBy(() -> Filter.fromJson(List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("terms"));
  }

  @Test
  @DisplayName(
      "$regex runs in linear time: a catastrophic pattern for backtracking engines answers")
  void regex_catastrophicPattern_isLinear() {
    Device device =
        DEVICE.withAttributes(
            Scope.INVENTORY, Map.of("serial", AttributeValue.text("a".repeat(4000) + "!")));
    Filter filter = Filter.of(FilterTerm.of(Scope.INVENTORY, "serial", Operator.REGEX, "(a+)+$"));

    // java.util.regex needs exponential steps here; RE2/J answers after one linear pass.
    assertThat(filter.matches(device)).isFalse();
  }

  private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return copy;
  }
}
