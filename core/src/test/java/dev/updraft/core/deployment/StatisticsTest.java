package dev.updraft.core.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticsTest {
  private static final DeviceDeploymentStatus[] STATUSES = DeviceDeploymentStatus.values();

  @Test
  void wireNames_roundTrip_withMissingStatusesAsZero() {
    qt().forAll(lists().of(integers().between(-1, 1_000)).ofSize(STATUSES.length))
        .checkAssert(
            counts -> {
              Map<String, Long> wire = new HashMap<>();
              for (int i = 0; i < STATUSES.length; i++) {
                if (counts.get(i) >= 0) { // -1: the status is left out of the map
                  wire.put(STATUSES[i].wireName(), (long) counts.get(i));
                }
              }
              Statistics read = Statistics.fromWireNames(wire);
              for (int i = 0; i < STATUSES.length; i++) {
                assertThat(read.count(STATUSES[i])).isEqualTo(Math.max(0, counts.get(i)));
              }
              assertThat(Statistics.fromWireNames(read.toMap())).isEqualTo(read);
            });
  }

  @Test
  void wireNames_unknownName_refusedByName() {
    assertThatThrownBy(() -> Statistics.fromWireNames(Map.of("success", 3L, "exploded", 1L)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("statistics")
        .hasMessageContaining("exploded");
  }

  @Test
  void wireNames_negativeCount_refusedNamingTheStatus() {
    assertThatThrownBy(() -> Statistics.fromWireNames(Map.of("failure", -2L)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("statistics.failure")
        .hasMessageContaining("-2");
  }
}
