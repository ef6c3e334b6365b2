package dev.updraft.core.deployment;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDevice;
import static dev.updraft.core.TestData.aRelease;
import static dev.updraft.core.TestData.aRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.FilterTerm;
import dev.updraft.core.group.Operator;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Release;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentCreationTest {
  private static final Release RELEASE = aRelease("r1", "arm6");
  private static final List<Device> FLEET =
      IntStream.range(0, 11).mapToObj(i -> aDevice("d" + i, "arm6")).toList();

  private static NewDeployment create(DeploymentRequest request) {
    return create(request, FLEET, List.of());
  }

  private static NewDeployment create(
      DeploymentRequest request, List<Device> fleet, List<Deployment> active) {
    return Deployment.create(request, Optional.of(RELEASE), fleet, active, "dep-1", T0, 1);
  }

  /** Mender's creation-validation cases: each refused with the field it names. */
  static Stream<Arguments> menderInvalidRequests() {
    return Stream.of(
        Arguments.of(
            "blank name",
            (Supplier<?>)
                () ->
                    DeploymentRequest.builder()
                        .name(" ")
                        .releaseName("r1")
                        .addDevices("d1")
                        .build(),
            "name"),
        Arguments.of(
            "name of 257 chars",
            (Supplier<?>)
                () ->
                    DeploymentRequest.builder()
                        .name("n".repeat(257))
                        .releaseName("r1")
                        .addDevices("d1")
                        .build(),
            "name"),
        Arguments.of(
            "missing release",
            (Supplier<?>)
                () ->
                    DeploymentRequest.builder().name("n").releaseName("").addDevices("d1").build(),
            "artifact_name"),
        Arguments.of("no target", (Supplier<?>) () -> aRequest("r1").build(), "target"),
        Arguments.of(
            "both a device list and all devices",
            (Supplier<?>) () -> aRequest("r1").addDevices("d1").allDevices(true).build(),
            "target"),
        Arguments.of(
            "blank device id",
            (Supplier<?>) () -> aRequest("r1").addDevices("d1", "").build(),
            "devices[1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("menderInvalidRequests")
  void request_menderInvalidCases_refusedNamingField(
      String label, Supplier<?> request, String field) {
    assertThatThrownBy(request::get)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void name_of256Chars_accepted() {
    assertThat(create(aRequest("r1").addDevices("d1").build()).deployment().name()).isNotBlank();
    DeploymentRequest request =
        DeploymentRequest.builder()
            .name("n".repeat(256))
            .releaseName("r1")
            .addDevices("d1")
            .build();
    assertThat(create(request).deployment().name()).hasSize(256);
  }

  @Test
  void release_unknown_notFound() {
    DeploymentRequest request = aRequest("nope").addDevices("d1").build();
    assertThatThrownBy(
            () -> Deployment.create(request, Optional.empty(), FLEET, List.of(), "x", T0, 1))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.id()).isEqualTo("nope"));
  }

  @Test
  @DisplayName("unknown and not-accepted ids are left out of the snapshot and reported back")
  void deviceList_leavesOutUnknownAndNotAccepted() {
    List<Device> fleet =
        List.of(
            aDevice("d1", "arm6"), aDevice("d2", "arm6").withAdmission(AdmissionStatus.PENDING));

    NewDeployment created =
        create(aRequest("r1").addDevices("d1", "d2", "ghost", "d1").build(), fleet, List.of());

    assertThat(created.snapshot()).containsExactly("d1");
    assertThat(created.unknown()).containsExactly("ghost");
    assertThat(created.notAccepted()).containsExactly("d2");
    assertThat(created.deployment().target().initialDeviceCount()).isEqualTo(1);
    assertThat(created.deployment().statistics().count(DeviceDeploymentStatus.PENDING))
        .isEqualTo(1);
    assertThat(created.deployment().status(T0)).isEqualTo(DeploymentStatus.PENDING);
  }

  @Test
  @DisplayName(
      "a preauthorized device is kept in a snapshot: accepted when it first authenticates, it gets"
          + " the deployment then")
  void preauthorized_isTargeted() {
    List<Device> fleet =
        List.of(
            aDevice("d1", "arm6").withAdmission(AdmissionStatus.PREAUTHORIZED),
            aDevice("d2", "arm6").withAdmission(AdmissionStatus.PENDING));

    NewDeployment created = create(aRequest("r1").addDevices("d1", "d2").build(), fleet, List.of());

    assertThat(created.snapshot()).containsExactly("d1");
    assertThat(created.notAccepted()).containsExactly("d2");
    assertThat(created.deployment().target().initialDeviceCount()).isEqualTo(1);
  }

  @Test
  void deviceList_noAcceptedDevice_invalid() {
    assertThatThrownBy(() -> create(aRequest("r1").addDevices("ghost").build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("devices"));
  }

  @Test
  @DisplayName("a static group resolves to its accepted members at creation")
  void staticGroup_snapshotOfAcceptedMembers() {
    List<Device> fleet =
        List.of(
            aDevice("d1", "arm6").inGroup("north"),
            aDevice("d2", "arm6").inGroup("south"),
            aDevice("d3", "arm6").inGroup("north").withAdmission(AdmissionStatus.REJECTED));

    NewDeployment created = create(aRequest("r1").group("north").build(), fleet, List.of());

    assertThat(created.snapshot()).containsExactly("d1");
    assertThat(created.notAccepted()).containsExactly("d3");
    assertThat(created.deployment().target().group()).contains("north");
    assertThatThrownBy(() -> create(aRequest("r1").group("empty").build(), fleet, List.of()))
        .as("a group exists while it has members")
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.id()).isEqualTo("empty"));
    List<Device> noneAccepted = List.of(fleet.get(2));
    assertThatThrownBy(() -> create(aRequest("r1").group("north").build(), noneAccepted, List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("group"));
  }

  @Test
  void allDevices_snapshotOfEveryAcceptedDevice() {
    List<Device> fleet =
        List.of(
            aDevice("d1", "arm6"),
            aDevice("d2", "arm7").withAdmission(AdmissionStatus.PENDING),
            aDevice("d3", "x"));

    assertThat(create(aRequest("r1").allDevices(true).build(), fleet, List.of()).snapshot())
        .containsExactly("d1", "d3");
  }

  @Test
  @DisplayName(
      "a dynamic target has no snapshot and counts the accepted devices matching at creation")
  void dynamic_countsMatchingAtCreation() {
    SavedFilter arm7 =
        SavedFilter.of(
            "f1",
            "arm7s",
            Filter.of(FilterTerm.of(Scope.INVENTORY, "device_type", Operator.EQ, "arm7")));
    List<Device> fleet =
        List.of(
            aDevice("d1", "arm7"),
            aDevice("d2", "arm6"),
            aDevice("d3", "arm7").withAdmission(AdmissionStatus.PENDING));

    NewDeployment created = create(aRequest("r1").filter(arm7).build(), fleet, List.of());

    assertThat(created.snapshot()).isEmpty();
    assertThat(created.deployment().target().kind()).isEqualTo(TargetKind.DYNAMIC);
    assertThat(created.deployment().target().initialDeviceCount()).isEqualTo(1);
    assertThat(created.deployment().statistics()).isEqualTo(Statistics.empty());
  }

  @Test
  @DisplayName(
      "an identical active deployment (same name, release, targets, options) is a conflict")
  void identicalActive_conflict() {
    DeploymentRequest request = aRequest("r1").addDevices("d2", "d1").build();
    Deployment first = create(request).deployment();

    assertThatThrownBy(
            () -> create(aRequest("r1").addDevices("d1", "d2").build(), FLEET, List.of(first)))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.id()).isEqualTo("dep-1"));
    assertThat(
            create(aRequest("r1").addDevices("d1", "d3").build(), FLEET, List.of(first))
                .deployment())
        .as("other targets")
        .isNotNull();
    Deployment finished = first.abort(T0);
    assertThat(create(request, FLEET, List.of(finished)).deployment().id()).isEqualTo("dep-1");
  }

  @Nested
  class Phases {
    private final Release release = RELEASE;

    private DeploymentOptions phases(Phase... phases) {
      return DeploymentOptions.builder().addPhases(phases).build();
    }

    @Test
    @DisplayName("each phase gets floor(total × size / 100), the last takes the rest")
    void capacities_floorAndRest() {
      DeploymentOptions options =
          phases(
              Phase.first(10), Phase.of(30, T0.plusSeconds(60)), Phase.rest(T0.plusSeconds(120)));

      assertThat(options.capacities(11)).containsExactly(1L, 3L, 7L);
      assertThat(options.capacities(100)).containsExactly(10L, 30L, 60L);
    }

    @Test
    @DisplayName("a phase that rounds to 0 devices is refused (5% of 11)")
    void capacities_zeroDevicePhase_refused() {
      DeploymentOptions options = phases(Phase.first(5), Phase.rest(T0.plusSeconds(60)));

      assertThatThrownBy(
              () -> create(aRequest(release.name()).allDevices(true).options(options).build()))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("phases[0]");
                assertThat(e.value()).isEqualTo("\"5% of 11\"");
              });
    }

    @Test
    void options_structure_validated() {
      assertThatThrownBy(() -> phases(Phase.of(Optional.empty(), Optional.empty()), Phase.rest(T0)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("phases[0].batch_size"));
      assertThatThrownBy(() -> phases(Phase.first(50), Phase.of(Optional.of(50), Optional.empty())))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("phases[1].start_ts"));
      assertThatThrownBy(
              () ->
                  phases(
                      Phase.first(50),
                      Phase.of(50, T0.plusSeconds(9)),
                      Phase.rest(T0.plusSeconds(9))))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("phases[2].start_ts"));
      assertThatThrownBy(() -> phases(Phase.first(50), Phase.of(40, T0.plusSeconds(9))))
          .hasMessageContaining("must add up to 100");
      assertThatThrownBy(() -> phases(Phase.first(101)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("batch_size"));
      assertThatThrownBy(() -> DeploymentOptions.builder().retries(-1).build())
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("retries"));
      assertThatThrownBy(() -> DeploymentOptions.builder().maxDevices(0L).build())
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("max_devices"));
    }

    @Test
    @DisplayName("a deployment whose first phase starts in the future is scheduled until then")
    void firstPhaseInFuture_scheduled() {
      Deployment deployment =
          create(
                  aRequest(release.name())
                      .allDevices(true)
                      .options(
                          phases(
                              Phase.of(50, T0.plus(Duration.ofHours(1))),
                              Phase.rest(T0.plus(Duration.ofHours(2)))))
                      .build())
              .deployment();

      assertThat(deployment.status(T0)).isEqualTo(DeploymentStatus.SCHEDULED);
      assertThat(deployment.status(T0.plus(Duration.ofHours(1))))
          .isEqualTo(DeploymentStatus.PENDING);
      assertThat(deployment.openPhase(T0)).isEmpty();
      assertThat(deployment.openPhase(T0.plus(Duration.ofHours(1)))).contains(0);
    }
  }
}
