package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.DeviceState;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import dev.updraft.test.TestFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A deployment's counters in stripes (see {@link StoredDeployment}): whatever the fleet, the
 * maximum, the phases and the order devices come in, no stripe hands out more than its quota of the
 * maximum or of a phase's capacity, and the stripes sum to the deployment the engine reports.
 */
class StripesPropertiesTest {
  private static final DeviceState STATE = DeviceState.of("test-board", "v0");

  @Test
  @DisplayName("no stripe goes over its quota, and the stripes sum to the deployment")
  void quotasHold_andStripesSum() {
    qt().withExamples(80)
        .forAll(
            integers().between(5, 80),
            integers().between(0, 80),
            integers().between(0, 2),
            integers().all())
        .checkAssert(
            (devices, max, phasing, seed) -> {
              InMemoryStore store = new InMemoryStore();
              ManualClock clock = new ManualClock(T0);
              Updraft engine = Updraft.builder(store).clock(clock).build();
              List<String> ids = TestFleet.of(engine).devices("d-", devices).build();
              engine.addArtifact(anArtifact("a", "r1", "test-board"));
              DeploymentOptions.Builder options = DeploymentOptions.builder();
              if (max > 0) {
                options.maxDevices((long) max);
              }
              if (phasing > 0) {
                options.addPhases(
                    Phase.first(phasing == 1 ? 20 : 50), Phase.rest(T0.plusSeconds(1)));
              }
              String id =
                  engine
                      .createDeployment(
                          DeploymentRequest.builder()
                              .name("stripes")
                              .releaseName("r1")
                              .addAllDevices(ids)
                              .options(options.build())
                              .build())
                      .deployment()
                      .id();
              clock.advance(Duration.ofSeconds(2)); // every phase open
              List<String> order = new ArrayList<>(ids);
              Collections.shuffle(order, new Random(seed));
              for (int i = 0; i < order.size(); i++) {
                String device = order.get(i);
                if (engine.poll(device, STATE).instructions().isPresent() && i % 3 == 0) {
                  engine.report(device, id, DeviceDeploymentStatus.SUCCESS);
                }
              }

              Deployment deployment = engine.deployment(id).orElseThrow();
              List<DeploymentCountsRecord> stripes =
                  store.scan(Index.COUNTS_BY_DEPLOYMENT, id, Optional.empty(), 100).items();
              long expected = max > 0 ? Math.min(max, devices) : devices;
              assertThat(deployment.handedOut()).isEqualTo(expected);
              assertThat(stripes.stream().mapToLong(DeploymentCountsRecord::handedOut).sum())
                  .isEqualTo(deployment.handedOut());
              List<Long> capacities = deployment.capacities();
              for (DeploymentCountsRecord stripe : stripes) {
                if (max > 0) {
                  assertThat(stripe.handedOut())
                      .as("stripe %d's hand-outs", stripe.stripe())
                      .isLessThanOrEqualTo(quota(max, stripe.stripe()));
                }
                for (int phase = 0; phase < stripe.phaseCounts().size(); phase++) {
                  assertThat(stripe.phaseCounts().get(phase))
                      .as("stripe %d's devices in phase %d", stripe.stripe(), phase)
                      .isLessThanOrEqualTo(quota(capacities.get(phase), stripe.stripe()));
                }
              }
              for (int phase = 0; phase < capacities.size(); phase++) {
                int index = phase;
                assertThat(
                        stripes.stream()
                            .mapToLong(
                                s -> s.phaseCounts().isEmpty() ? 0 : s.phaseCounts().get(index))
                            .sum())
                    .isEqualTo(deployment.phaseCounts().get(phase));
              }
              assertThat(deployment.statistics().finished())
                  .isEqualTo(deployment.statistics().count(DeviceDeploymentStatus.SUCCESS));
            });
  }

  /** Stripe {@code stripe}'s share of {@code total}, as the design states it. */
  private static long quota(long total, int stripe) {
    return total / Context.STRIPES + (stripe < total % Context.STRIPES ? 1 : 0);
  }
}
