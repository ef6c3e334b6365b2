package dev.updraft.test;

import static dev.updraft.test.UpdraftAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.rollout.Reason;
import dev.updraft.spi.memory.InMemoryStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The test support a host's tests use: clock, fleet and assertions, passing and failing. */
class UpdraftTestSupportTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final DeviceState RPI = DeviceState.of("rpi4", "app-1.0");

  private final ManualClock clock = new ManualClock(T0);
  private final Updraft updraft = Updraft.builder(new InMemoryStore()).clock(clock).build();

  private String deployToLab() {
    updraft.addArtifact(
        Artifact.builder()
            .id("a1")
            .name("app-2.0")
            .addDeviceTypes("rpi4")
            .size(1)
            .checksum("00")
            .location(URI.create("https://example.com/a1"))
            .build());
    return updraft
        .createDeployment(
            DeploymentRequest.builder().name("lab").releaseName("app-2.0").group("lab").build())
        .deployment()
        .id();
  }

  @Test
  @DisplayName("a fleet is registered, accepted, in its state, inventory and group")
  void fleet() {
    List<String> ids =
        TestFleet.of(updraft)
            .devices("rpi-", 3)
            .state("rpi4", "app-1.0")
            .attribute("region", "eu")
            .group("lab")
            .build();

    Assertions.assertThat(ids).containsExactly("rpi-0", "rpi-1", "rpi-2");
    for (String id : ids) {
      var device = updraft.device(id).orElseThrow();
      Assertions.assertThat(device.isAccepted()).isTrue();
      Assertions.assertThat(device.state()).contains(RPI);
      Assertions.assertThat(device.staticGroup()).contains("lab");
    }
    Assertions.assertThat(updraft.groups()).containsExactly("lab");
    assertThatThrownBy(() -> TestFleet.of(updraft).devices("x", 0))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  @DisplayName("the assertions pass on what is so, and fail with a message on what is not")
  void assertions() {
    TestFleet.of(updraft).devices("rpi-", 2).state("rpi4", "app-1.0").group("lab").build();
    String id = deployToLab();

    assertThat(updraft.poll("rpi-0", RPI)).offers(id).hasReason(Reason.OFFERED);
    updraft.report("rpi-0", id, DeviceDeploymentStatus.DOWNLOADING);
    assertThat(updraft.statistics(id))
        .has(DeviceDeploymentStatus.DOWNLOADING, 1)
        .has(DeviceDeploymentStatus.PENDING, 1)
        .hasTotal(2)
        .hasFinished(0);
    assertThat(updraft.deployment(id).orElseThrow()).hasStatus(DeploymentStatus.INPROGRESS, T0);

    assertThatThrownBy(
            () -> assertThat(updraft.statistics(id)).has(DeviceDeploymentStatus.SUCCESS, 1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 1 device(s) SUCCESS but found 0");
    assertThatThrownBy(() -> assertThat(updraft.poll("rpi-0", RPI)).offersNothing())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(id);
    assertThatThrownBy(() -> assertThat(updraft.deployment(id).orElseThrow()).isFinished())
        .isInstanceOf(AssertionError.class);

    updraft.pause(id);
    assertThat(updraft.deployment(id).orElseThrow()).isPaused();
    assertThat(updraft.poll("rpi-1", RPI)).offersNothing();
    updraft.abort(id);
    assertThat(updraft.deployment(id).orElseThrow()).isFinished().statistics().hasTotal(2);
  }

  @Test
  @DisplayName("the manual clock moves only when told, and never back")
  void clock() {
    Assertions.assertThat(clock.instant()).isEqualTo(T0);
    clock.advance(Duration.ofMinutes(5));
    Assertions.assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> Assertions.assertThat(e.field()).isEqualTo("step"));
  }
}
