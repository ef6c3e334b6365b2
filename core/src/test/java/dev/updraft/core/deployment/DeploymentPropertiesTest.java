package dev.updraft.core.deployment;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.Generators.statistics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.updraft.core.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class DeploymentPropertiesTest {
  private static final List<DeviceDeploymentStatus> FINISHED =
      Arrays.stream(DeviceDeploymentStatus.values())
          .filter(DeviceDeploymentStatus::isFinished)
          .toList();

  @Test
  @DisplayName(
      "status derivation gives the one status Mender's rules name, and never leaves finished as"
          + " finished counters grow")
  void derive_exactlyOne_monotone() {
    qt().withExamples(EXAMPLES)
        .forAll(
            statistics(),
            longs().between(0, 40),
            lists().of(Generate.pick(FINISHED)).ofSizeBetween(0, 10))
        .checkAssert(
            (statistics, max, growth) -> {
              Statistics current = statistics;
              boolean wasFinished = false;
              for (int step = 0; step <= growth.size(); step++) {
                DeploymentStatus derived = DeploymentStatus.derive(current, max, false);
                assertThat(derived).isEqualTo(spec(current, max));
                if (wasFinished) {
                  assertThat(derived).isEqualTo(DeploymentStatus.FINISHED);
                }
                wasFinished = derived == DeploymentStatus.FINISHED;
                if (step < growth.size()) {
                  current = current.plus(growth.get(step), 1);
                }
              }
            });
  }

  /** DOMAIN.md §4, each condition on its own, so exactly one must hold. */
  private static DeploymentStatus spec(Statistics statistics, long max) {
    boolean finished = max > 0 && statistics.finished() >= max;
    boolean started =
        Arrays.stream(DeviceDeploymentStatus.values())
            .filter(
                s ->
                    s != DeviceDeploymentStatus.PENDING
                        && s != DeviceDeploymentStatus.DECOMMISSIONED)
            .anyMatch(s -> statistics.count(s) > 0);
    List<DeploymentStatus> holding = new ArrayList<>();
    if (finished) {
      holding.add(DeploymentStatus.FINISHED);
    }
    if (!finished && started) {
      holding.add(DeploymentStatus.INPROGRESS);
    }
    if (!finished && !started) {
      holding.add(DeploymentStatus.PENDING);
    }
    assertThat(holding).hasSize(1);
    return holding.get(0);
  }

  /**
   * The longest prefix of {@code sizes} that sums to at most 100 %: generated values are made
   * valid, not filtered (filtering rejected too many and made the property give up at random).
   */
  private static List<Integer> upTo100(List<Integer> sizes) {
    List<Integer> prefix = new ArrayList<>();
    int sum = 0;
    for (int size : sizes) {
      if (sum + size > 100) {
        break;
      }
      prefix.add(size);
      sum += size;
    }
    return prefix;
  }

  @Test
  @DisplayName("phase capacities always sum to the targeted total, or a phase of 0 is refused")
  void capacities_sumToTotal() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    qt().withExamples(EXAMPLES)
        .forAll(
            lists().of(integers().between(1, 60)).ofSizeBetween(0, 5).map(d -> upTo100(d)),
            longs().between(0, 100_000))
        .checkAssert(
            (sizes, total) -> {
              DeploymentOptions.Builder options = DeploymentOptions.builder();
              for (int index = 0; index < sizes.size(); index++) {
                options.addPhases(
                    Phase.of(
                        java.util.Optional.of(sizes.get(index)),
                        index == 0
                            ? java.util.Optional.empty()
                            : java.util.Optional.of(t0.plusSeconds(index))));
              }
              options.addPhases(Phase.rest(t0.plusSeconds(sizes.size() + 1L)));
              DeploymentOptions built = options.build();
              try {
                List<Long> capacities = built.capacities(total);
                assertThat(capacities.stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
                assertThat(capacities).allSatisfy(capacity -> assertThat(capacity).isPositive());
                for (int index = 0; index < sizes.size(); index++) {
                  assertThat(capacities.get(index)).isEqualTo(total * sizes.get(index) / 100);
                }
              } catch (InvalidInputException zeroPhase) {
                assertThat(zeroPhase.reason()).isEqualTo("would get 0 devices");
                boolean someZero =
                    sizes.stream().anyMatch(size -> total * size / 100 == 0)
                        || total - sizes.stream().mapToLong(size -> total * size / 100).sum() == 0;
                assertThat(someZero).isTrue();
              }
            });
  }
}
