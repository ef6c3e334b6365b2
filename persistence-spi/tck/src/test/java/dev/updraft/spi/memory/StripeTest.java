package dev.updraft.spi.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.RecordType;
import org.junit.jupiter.api.Test;

/**
 * A target scan locks the stripe of each target key without building the key; it must be the stripe
 * a commit of that key locks, or a scan could read a target mid-commit.
 */
class StripeTest {
  @Test
  void aTargetsStripeFromItsIdsIsTheStripeOfItsKey() {
    qt().forAll(
            strings().allPossible().ofLengthBetween(0, 80),
            strings().basicLatinAlphabet().ofLengthBetween(0, 300))
        .checkAssert(
            (deploymentId, deviceId) ->
                assertThat(InMemoryStore.stripe(RecordType.TARGET, deploymentId, deviceId))
                    .isEqualTo(
                        InMemoryStore.stripe(
                            RecordType.TARGET,
                            DeviceDeploymentRecord.keyOf(deploymentId, deviceId))));
  }
}
