package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server's settings from its environment: defaults, and values refused by name. */
class ServerConfigTest {
  @Test
  @DisplayName("download links last Mender's 24 hours unless UPDRAFT_LINK_SECONDS says otherwise")
  void linkLifetime() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).linkLifetime())
        .isEqualTo(Duration.ofHours(24));
    assertThat(
            ServerConfig.fromEnvironment(Map.of("UPDRAFT_LINK_SECONDS", "172800")).linkLifetime())
        .isEqualTo(Duration.ofDays(2));
    assertThat(ServerConfig.fromEnvironment(Map.of("UPDRAFT_SWEEP_SECONDS", " 5 ")).sweepInterval())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("a lifetime or interval that is not a whole number of seconds from 1 is refused")
  void badSeconds_refusedByName() {
    for (String bad : new String[] {"0", "-3", "1.5", "ten", ""}) {
      assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("UPDRAFT_LINK_SECONDS", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("UPDRAFT_LINK_SECONDS")
          .hasMessageContaining("\"" + bad + "\"");
    }
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("UPDRAFT_SWEEP_SECONDS", "x")))
        .hasMessageContaining("UPDRAFT_SWEEP_SECONDS");
  }
}
