package dev.updraft.core;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.release.Artifact;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators of domain values over small alphabets, so that random values collide
 * often enough to exercise the interesting cases (equal types, overlapping depends, ties).
 */
public final class Generators {
  /** Examples per property; the closing note of issue 2 reports this figure. */
  public static final int EXAMPLES = 1000;

  private static final List<String> TYPES = List.of("arm6", "arm7", "x86");
  private static final List<String> KEYS = List.of("k1", "k2");
  private static final List<String> VALUES = List.of("1", "2", "3");

  private Generators() {}

  /** An artifact of release {@code r} named {@code id}: 1–2 types, up to 2 depends, size 1–3. */
  public static Gen<Artifact> artifacts(String id) {
    Gen<List<String>> types = lists().of(Generate.pick(TYPES)).ofSizeBetween(1, 2);
    Gen<Map<String, List<String>>> depends =
        lists()
            .of(
                Generate.pick(VALUES)
                    .zip(
                        booleans().all(),
                        (value, wide) -> wide ? List.of(value, "3") : List.of(value)))
            .ofSizeBetween(0, 2)
            .map(
                values -> {
                  Map<String, List<String>> map = new LinkedHashMap<>();
                  for (int index = 0; index < values.size(); index++) {
                    map.put(KEYS.get(index), values.get(index));
                  }
                  return map;
                });
    return types.zip(
        depends,
        integers().between(1, 3),
        (t, d, size) ->
            Artifact.builder()
                .id(id)
                .name("r")
                .addAllDeviceTypes(t)
                .putAllDepends(d)
                .size(size)
                .checksum("sum")
                .location(URI.create("mem:" + id))
                .build());
  }

  /** A device state over the same small alphabets as {@link #artifacts}. */
  public static Gen<DeviceState> deviceStates() {
    Gen<Optional<String>> provided = Generate.pick(VALUES).toOptionals(25);
    return Generate.pick(List.of("arm6", "arm7", "x86", "riscv"))
        .zip(
            provided,
            provided,
            (type, k1, k2) -> {
              Map<String, String> provides = new LinkedHashMap<>();
              k1.ifPresent(value -> provides.put("k1", value));
              k2.ifPresent(value -> provides.put("k2", value));
              return DeviceState.of(type, "v0", provides);
            });
  }

  /** A scalar or list attribute value of strings or numbers over a small alphabet. */
  public static Gen<AttributeValue> attributeValues() {
    Gen<String> text = Generate.pick(List.of("a", "b", "c"));
    Gen<Double> number = integers().between(0, 3).map(Integer::doubleValue);
    return Generate.oneOf(
        text.map(AttributeValue::text),
        number.map(AttributeValue::number),
        lists().of(text).ofSizeBetween(0, 3).map(AttributeValue::texts),
        lists().of(number).ofSizeBetween(0, 3).map(AttributeValue::numbers));
  }

  /** Scalars a filter compares against: strings and numbers of the same small alphabet. */
  public static Gen<Object> scalars() {
    return Generate.oneOf(
        Generate.pick(List.<Object>of("a", "b", "c", "d")),
        integers().between(0, 4).map(Integer::doubleValue).map(Object.class::cast));
  }

  /** Statistics with 0–3 devices in each of the 13 statuses. */
  public static Gen<Statistics> statistics() {
    return lists()
        .of(integers().between(0, 3))
        .ofSize(DeviceDeploymentStatus.values().length)
        .map(
            counts -> {
              Map<DeviceDeploymentStatus, Long> map = new EnumMap<>(DeviceDeploymentStatus.class);
              for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
                map.put(status, (long) counts.get(status.ordinal()));
              }
              return Statistics.of(map);
            });
  }

  /** A term on {@code x} or {@code y} with any operator but $regex, and a value that fits it. */
  public static Gen<FilterTerm> filterTerms() {
    Gen<Object> scalar = Generate.oneOf(scalars(), Generate.constant(-0.0));
    Gen<String> attribute = Generate.pick(List.of("x", "y"));
    Gen<Operator> operator =
        Generate.pick(Arrays.stream(Operator.values()).filter(o -> o != Operator.REGEX).toList());
    return attribute.zip(
        operator,
        scalar,
        lists().of(scalar).ofSizeBetween(1, 3),
        Generate.booleans(),
        (name, op, one, many, exists) ->
            FilterTerm.of(
                Scope.INVENTORY,
                name,
                op,
                switch (op) {
                  case IN, NIN -> many;
                  case EXISTS -> exists;
                  default -> one;
                }));
  }
}
