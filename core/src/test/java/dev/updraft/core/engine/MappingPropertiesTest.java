package dev.updraft.core.engine;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.Generators.artifacts;
import static dev.updraft.core.Generators.attributeValues;
import static dev.updraft.core.Generators.deviceStates;
import static dev.updraft.core.Generators.filterTerms;
import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDeployment;
import static dev.updraft.core.TestData.aDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.updraft.core.ConflictException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.internal.Builders;
import dev.updraft.core.release.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link Mapping}: every value the engine stores reads back equal from its record. */
class MappingPropertiesTest {
  private static final List<Device> FLEET =
      IntStream.range(0, 10).mapToObj(i -> aDevice("d" + i, "arm6")).toList();

  @Test
  @DisplayName("a device reads back equal: admission, state, group and attributes of each scope")
  void device_roundTrips() {
    Gen<Device> devices =
        Generate.enumValues(AdmissionStatus.class)
            .zip(
                deviceStates().toOptionals(30),
                Generate.pick(List.of("lab", "field")).toOptionals(50),
                attributeValues().toOptionals(30),
                attributeValues().toOptionals(30),
                (admission, state, group, inventory, tag) -> {
                  Device device =
                      Device.of("d-1", admission)
                          .withAttributes(Scope.IDENTITY, Map.of("mac", AttributeValue.text("02")));
                  device = state.map(device::withState).orElse(device);
                  device = group.map(device::inGroup).orElse(device);
                  device = withAttribute(device, Scope.INVENTORY, inventory);
                  return withAttribute(device, Scope.TAGS, tag);
                });
    qt().withExamples(EXAMPLES)
        .forAll(devices)
        .checkAssert(
            device -> assertThat(Mapping.device(Mapping.record(device, 3))).isEqualTo(device));
  }

  private static Device withAttribute(Device device, Scope scope, Optional<AttributeValue> value) {
    return value.map(v -> device.withAttributes(scope, Map.of("x", v))).orElse(device);
  }

  @Test
  @DisplayName("a release reads back equal, its artifacts' types, depends and provides included")
  void release_roundTrips() {
    qt().withExamples(EXAMPLES)
        .forAll(artifacts("a1"), artifacts("a2").toOptionals(50))
        .checkAssert(
            (first, second) -> {
              Release release = Release.of(first);
              if (second.isPresent()) {
                try {
                  release = release.withArtifact(second.get());
                } catch (ConflictException overlapping) {
                  // the two overlap: the release of one artifact is checked alone
                }
              }
              assertThat(Mapping.release(Mapping.record(release, 2))).isEqualTo(release);
            });
  }

  @Test
  @DisplayName("a saved filter reads back equal, every operator and value kind included")
  void filter_roundTrips() {
    qt().withExamples(EXAMPLES)
        .forAll(lists().of(filterTerms()).ofSizeBetween(1, 4))
        .checkAssert(
            (List<FilterTerm> terms) -> {
              SavedFilter filter = SavedFilter.of("f1", "name", Filter.of(terms));
              assertThat(Mapping.filter(Mapping.record(filter, 1))).isEqualTo(filter);
            });
  }

  @Test
  @DisplayName(
      "a deployment reads back equal: phases with gates, maximum, guard, timeout, pause, abort")
  void deployment_roundTrips() {
    Gen<DeploymentOptions> options =
        integers()
            .between(0, 3)
            .zip(
                integers().between(1, 10).toOptionals(50),
                Generate.enumValues(GuardAction.class).toOptionals(50),
                integers().between(1, 120).toOptionals(50),
                Generate.booleans(),
                (phases, max, guard, timeout, gated) -> {
                  DeploymentOptions.Builder builder = DeploymentOptions.builder();
                  if (phases > 0) {
                    // 10 % now, then 10 % an hour apart, the last phase taking the rest
                    builder.addPhases(Phase.first(10));
                    for (int i = 1; i <= phases; i++) {
                      Instant start = T0.plus(Duration.ofHours(i));
                      Phase phase = i == phases ? Phase.rest(start) : Phase.of(10, start);
                      builder.addPhases(gated ? phase.withGate(PhaseGate.of(0.75, 2)) : phase);
                    }
                  }
                  max.ifPresent(m -> builder.maxDevices((long) m));
                  guard.ifPresent(action -> builder.guard(Guard.of(0.25, 3, action)));
                  timeout.ifPresent(m -> builder.progressTimeout(Duration.ofMinutes(m)));
                  return builder.build();
                });
    qt().withExamples(EXAMPLES)
        .forAll(options, integers().between(0, 2))
        .checkAssert(
            (chosen, change) -> {
              Deployment deployment =
                  aDeployment(
                      "dep",
                      Release.of(dev.updraft.core.TestData.anArtifact("a", "r1", "arm6")),
                      FLEET,
                      FLEET.stream().map(Device::id).toList(),
                      chosen,
                      T0,
                      7);
              deployment =
                  switch (change) {
                    case 1 -> deployment.pause();
                    case 2 -> deployment.abort(T0.plusSeconds(60));
                    default -> deployment;
                  };
              var record = Mapping.record(deployment, Context.STRIPES);
              Mapping.Definition definition = Mapping.definition(record);
              int phases = Math.max(1, definition.options().phases().size());
              assertThat(Mapping.deployment(record, definition, Counters.base(record, phases)))
                  .isEqualTo(deployment);
            });
  }

  @Test
  @DisplayName("a device deployment reads back equal in every status, with its optional fields")
  void deviceDeployment_roundTrips() {
    Gen<DeviceDeployment> records =
        Generate.enumValues(DeviceDeploymentStatus.class)
            .zip(
                integers().between(1, 5),
                deviceStates().toOptionals(50),
                integers().between(0, 3).toOptionals(50),
                Generate.booleans(),
                (status, attempts, state, phase, finishedAndLogged) -> {
                  DeviceDeployment.Builder builder =
                      Builders.deviceDeployment()
                          .deviceId("d1")
                          .deploymentId("dep")
                          .status(status)
                          .substatus(finishedAndLogged ? "step 2" : "")
                          .created(T0)
                          .deploymentSequence(4)
                          .started(T0.plusSeconds(1))
                          .attempts(attempts)
                          .logAvailable(finishedAndLogged);
                  state.ifPresent(builder::initialState);
                  phase.ifPresent(builder::phase);
                  if (status.isOpen()) {
                    builder.deadline(T0.plusSeconds(600));
                  } else {
                    builder.finished(T0.plusSeconds(9));
                  }
                  if (finishedAndLogged) {
                    builder.artifactId("a1");
                  }
                  return builder.build();
                });
    qt().withExamples(EXAMPLES)
        .forAll(records)
        .checkAssert(
            record ->
                assertThat(Mapping.deviceDeployment(Mapping.record(record, 5))).isEqualTo(record));
  }

  @Test
  @DisplayName("a deployment log reads back equal, message by message")
  void log_roundTrips() {
    Gen<LogMessage> messages =
        integers()
            .between(0, 1_000)
            .zip(
                Generate.pick(List.of("info", "error")),
                Generate.pick(List.of("", "done", "ünïcode ✓", "line\nbreak")),
                (second, level, text) -> LogMessage.of(T0.plusSeconds(second), level, text));
    qt().withExamples(EXAMPLES)
        .forAll(lists().of(messages).ofSizeBetween(1, 5))
        .checkAssert(
            (List<LogMessage> all) -> {
              DeploymentLog log = DeploymentLog.of(all);
              assertThat(Mapping.log(Mapping.record("dep", "d1", log, 1))).isEqualTo(log);
            });
  }
}
