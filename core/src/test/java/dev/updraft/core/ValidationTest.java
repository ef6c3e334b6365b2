package dev.updraft.core;

import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.release.Artifact;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the value types refuses what breaks it with an {@link InvalidInputException} that
 * names the field, and takes what is just inside its limit.
 */
class ValidationTest {
  private static Artifact.Builder artifact(String id, String name, long size, String checksum) {
    return Artifact.builder()
        .id(id)
        .name(name)
        .addDeviceTypes("arm6")
        .size(size)
        .checksum(checksum)
        .location(URI.create("s3://bucket/a1"));
  }

  private static Artifact.Builder artifact() {
    return artifact("a1", "r1", 1, "sum");
  }

  private static DeploymentRequest.Builder request(String name, String release) {
    return DeploymentRequest.builder().name(name).releaseName(release);
  }

  private static DeploymentRequest.Builder request() {
    return request("n", "r1");
  }

  private static String repeat(int length) {
    return "x".repeat(length);
  }

  private static List<String> many(int count) {
    return IntStream.range(0, count).mapToObj(i -> "v" + i).toList();
  }

  private static Arguments refused(String field, Executable build) {
    return Arguments.of(field, build);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refused("artifact id", () -> artifact(" ", "r1", 1, "sum").build()),
        refused("artifact name", () -> artifact("a1", "", 1, "sum").build()),
        refused("device_types_compatible", () -> anArtifact("a1").size(1).build()),
        refused("device_types_compatible", () -> artifact().addDeviceTypes(" ").build()),
        refused("depends key", () -> artifact().putDepends(" ", List.of("x")).build()),
        refused(
            "depends.device_type",
            () -> artifact().putDepends("device_type", List.of("x")).build()),
        refused("depends.k", () -> artifact().putDepends("k", List.of()).build()),
        refused(
            "depends.k",
            () ->
                artifact().putDepends("k", List.of(repeat(Artifact.MAX_VALUE_LENGTH + 1))).build()),
        refused("provides key", () -> artifact().putProvides("", "x").build()),
        refused(
            "provides.k",
            () -> artifact().putProvides("k", repeat(Artifact.MAX_VALUE_LENGTH + 1)).build()),
        refused("clears_provides", () -> artifact().addClearsProvides(" ").build()),
        refused(
            "clears_provides",
            () -> artifact().addAllClearsProvides(many(Artifact.MAX_ENTRIES + 1)).build()),
        refused(
            "payload types",
            () -> artifact().addAllPayloadTypes(many(Artifact.MAX_ENTRIES + 1)).build()),
        refused("size", () -> artifact("a1", "r1", -1, "sum").build()),
        refused("checksum", () -> artifact("a1", "r1", 1, " ").build()),
        refused("name", () -> request(" ", "r1").addDevices("d1").build()),
        refused("artifact_name", () -> request("n", "").addDevices("d1").build()),
        refused("devices[1]", () -> request().addDevices("d1", " ").build()),
        refused("group", () -> request().group("bad group!").build()),
        refused("target", () -> request().build()),
        refused("target", () -> request().addDevices("d1").group("lab").build()),
        refused("target", () -> request().allDevices(true).group("lab").build()),
        refused("retries", () -> DeploymentOptions.builder().retries(-1).build()),
        refused(
            "retries",
            () -> DeploymentOptions.builder().retries(DeploymentOptions.MAX_RETRIES + 1).build()),
        refused("max_devices", () -> DeploymentOptions.builder().maxDevices(0L).build()),
        refused(
            "phases",
            () ->
                DeploymentOptions.builder()
                    .addAllPhases(
                        Collections.nCopies(DeploymentOptions.MAX_PHASES + 1, Phase.first(1)))
                    .build()),
        refused(
            "progress_timeout",
            () -> DeploymentOptions.builder().progressTimeout(Duration.ZERO).build()),
        refused("value", () -> FilterTerm.of(Scope.INVENTORY, "x", Operator.IN, List.of())),
        refused(
            "value",
            () ->
                FilterTerm.of(
                    Scope.INVENTORY, "x", Operator.IN, many(FilterTerm.MAX_LIST_SIZE + 1))),
        refused("value", () -> FilterTerm.of(Scope.INVENTORY, "x", Operator.EXISTS, "yes")),
        refused("device_type", () -> DeviceState.of(" ", "v1")),
        refused("artifact_name", () -> DeviceState.of("arm6", "")),
        refused("provides key", () -> DeviceState.of("arm6", "v1", Map.of(" ", "x"))),
        refused(
            "provides.device_type", () -> DeviceState.of("arm6", "v1", Map.of("device_type", "x"))),
        refused("messages", () -> DeploymentLog.of(List.of())),
        refused(
            "messages",
            () ->
                DeploymentLog.of(
                    List.of(
                        LogMessage.of(TestData.T0, "info", repeat(DeploymentLog.MAX_TEXT)),
                        LogMessage.of(TestData.T0, "info", "x")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  @DisplayName("a value that breaks a rule is refused, naming the field")
  void isRefused(String field, Executable build) {
    assertThatThrownBy(build::execute)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  @DisplayName("a value at a limit is taken")
  void atTheLimits() {
    assertThatCode(
            () -> {
              artifact().addAllClearsProvides(many(Artifact.MAX_ENTRIES)).build();
              artifact().putDepends("k", List.of(repeat(Artifact.MAX_VALUE_LENGTH))).build();
              artifact("a1", "r1", 0, "sum").build();
              FilterTerm.of(Scope.INVENTORY, "x", Operator.IN, many(FilterTerm.MAX_LIST_SIZE));
              DeploymentOptions.builder().retries(DeploymentOptions.MAX_RETRIES).build();
              DeploymentOptions.builder().maxDevices(1L).build();
              DeploymentOptions.builder().progressTimeout(Duration.ofNanos(1)).build();
              DeploymentLog.of(
                  List.of(LogMessage.of(TestData.T0, "info", repeat(DeploymentLog.MAX_TEXT))));
            })
        .doesNotThrowAnyException();
  }
}
