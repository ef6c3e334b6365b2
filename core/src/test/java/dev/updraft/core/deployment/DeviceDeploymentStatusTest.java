package dev.updraft.core.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.ConflictException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceDeploymentStatusTest {
  enum Expected {
    NO_OP,
    CHANGE,
    CONFLICT,
    ILLEGAL
  }

  /** The whole table, 13 × 13, with the rule each cell follows. */
  static Stream<Arguments> transitionTable() {
    DeviceDeploymentStatus[] all = DeviceDeploymentStatus.values();
    return Arrays.stream(all)
        .flatMap(
            from ->
                Arrays.stream(all)
                    .map(
                        to -> {
                          Expected expected;
                          if (from == to) {
                            expected = Expected.NO_OP;
                          } else if (from == DeviceDeploymentStatus.ABORTED
                              || from == DeviceDeploymentStatus.DECOMMISSIONED) {
                            expected = Expected.CONFLICT;
                          } else if (from.isFinished()) {
                            expected = Expected.ILLEGAL;
                          } else {
                            expected = Expected.CHANGE;
                          }
                          return Arguments.of(from, to, expected);
                        }));
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("transitionTable")
  void transition_table(DeviceDeploymentStatus from, DeviceDeploymentStatus to, Expected expected) {
    switch (expected) {
      case NO_OP -> assertThat(from.transition(to, "d/x")).isFalse();
      case CHANGE -> assertThat(from.transition(to, "d/x")).isTrue();
      case CONFLICT ->
          assertThatThrownBy(() -> from.transition(to, "d/x"))
              .isInstanceOfSatisfying(
                  ConflictException.class, e -> assertThat(e.id()).isEqualTo("d/x"));
      case ILLEGAL ->
          assertThatThrownBy(() -> from.transition(to, "d/x"))
              .isInstanceOfSatisfying(
                  IllegalTransitionException.class,
                  e -> {
                    assertThat(e.from()).isEqualTo(from.wireName());
                    assertThat(e.to()).isEqualTo(to.wireName());
                  });
    }
  }

  @Test
  void openAndFinished_partitionTheStatuses() {
    assertThat(
            Arrays.stream(DeviceDeploymentStatus.values()).filter(DeviceDeploymentStatus::isOpen))
        .extracting(DeviceDeploymentStatus::wireName)
        .containsExactly(
            "pending",
            "downloading",
            "installing",
            "rebooting",
            "pause_before_installing",
            "pause_before_committing",
            "pause_before_rebooting");
  }

  @Test
  void fromWireName_roundTripsEveryStatus_andNamesTheValidOnes() {
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      assertThat(DeviceDeploymentStatus.fromWireName("status", status.wireName()))
          .isEqualTo(status);
    }
    assertThatThrownBy(() -> DeviceDeploymentStatus.fromWireName("status", "done"))
        .hasMessage(
            "status must be one of pending, downloading, installing, rebooting,"
                + " pause_before_installing, pause_before_committing, pause_before_rebooting,"
                + " success, failure, noartifact, already-installed, aborted, decommissioned"
                + " (was \"done\")");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "downloading",
        "installing",
        "rebooting",
        "pause_before_installing",
        "pause_before_committing",
        "pause_before_rebooting",
        "success",
        "failure",
        "already-installed"
      })
  void fromReport_reportableStatuses_accepted(String status) {
    assertThat(DeviceDeploymentStatus.fromReport("status", status).wireName()).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pending", "aborted", "decommissioned", "noartifact", "SUCCESS", ""})
  void fromReport_otherValues_invalidInputNamingStatus(String status) {
    assertThatThrownBy(() -> DeviceDeploymentStatus.fromReport("status", status))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("status"));
  }
}
