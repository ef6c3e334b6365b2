package dev.updraft.core.device;

import static dev.updraft.core.TestData.aDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {

  @Test
  @DisplayName("a blank device id is refused, naming the field")
  void id_blank_refused() {
    assertThatThrownBy(() -> Device.of("  ", AdmissionStatus.PENDING))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("device id");
              assertThat(e.value()).isEqualTo("\"  \"");
              assertThat(e).hasMessageContaining("must not be blank");
            });
  }

  @Test
  void id_of256Chars_accepted_of257_refused() {
    assertThat(Device.of("d".repeat(256), AdmissionStatus.ACCEPTED).id()).hasSize(256);
    assertThatThrownBy(() -> Device.of("d".repeat(257), AdmissionStatus.ACCEPTED))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("device id must be at most 256 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space", "slash/", "", "dot."})
  void groupName_outsidePattern_refused(String name) {
    assertThatThrownBy(() -> aDevice("d1", "arm6").inGroup(name))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("group"));
  }

  @Test
  @DisplayName("a device is in at most one static group: adding it to another moves it")
  void inGroup_twice_moves() {
    Device device = aDevice("d1", "arm6").inGroup("north").inGroup("south");

    assertThat(device.staticGroup()).contains("south");
    assertThat(device.attribute(AttributeKey.GROUP)).contains(AttributeValue.text("south"));
    assertThat(device.withoutGroup().attribute(AttributeKey.GROUP)).isEmpty();
  }

  @Test
  @DisplayName("filters see device type, artifact name and group as attributes")
  void attribute_derivedKeys_comeFromFields() {
    Device device = aDevice("d1", "arm6").inGroup("north");

    assertThat(device.attribute(AttributeKey.DEVICE_TYPE)).contains(AttributeValue.text("arm6"));
    assertThat(device.attribute(AttributeKey.ARTIFACT_NAME)).contains(AttributeValue.text("v0"));
    assertThat(device.attribute(AttributeKey.GROUP)).contains(AttributeValue.text("north"));
  }

  @Test
  void attributes_holdingADerivedKey_refused() {
    assertThatThrownBy(
            () ->
                Device.builder()
                    .id("d1")
                    .admission(AdmissionStatus.ACCEPTED)
                    .putAttributes(AttributeKey.DEVICE_TYPE, AttributeValue.text("arm6"))
                    .build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("attributes.inventory/device_type"));
  }

  @Test
  void withAttributes_replacesOnlyThatScope() {
    Device device =
        aDevice("d1", "arm6")
            .withAttributes(Scope.TAGS, Map.of("owner", AttributeValue.text("ops")))
            .withAttributes(Scope.INVENTORY, Map.of("ram", AttributeValue.number(512)))
            .withAttributes(Scope.INVENTORY, Map.of("cpu", AttributeValue.text("a53")));

    assertThat(device.attributes())
        .containsOnlyKeys(
            AttributeKey.of(Scope.TAGS, "owner"), AttributeKey.of(Scope.INVENTORY, "cpu"));
  }

  @Test
  void attributeValue_fromJson_readsEachShape() {
    assertThat(AttributeValue.fromJson("v", "x")).isEqualTo(AttributeValue.text("x"));
    assertThat(AttributeValue.fromJson("v", 3)).isEqualTo(AttributeValue.number(3.0));
    assertThat(AttributeValue.fromJson("v", List.of("a", "b")).texts()).containsExactly("a", "b");
    assertThat(AttributeValue.fromJson("v", List.of(1, 2.5)).numbers()).containsExactly(1.0, 2.5);
    assertThat(AttributeValue.fromJson("v", List.of("a")).isList()).isTrue();
    assertThat(AttributeValue.fromJson("v", List.of("a")).toJson()).isEqualTo(List.of("a"));
  }

  @Test
  void attributeValue_fromJson_badShapes_refusedNamingTheField() {
    assertThatThrownBy(() -> AttributeValue.fromJson("inventory.ram", true))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("inventory.ram"));
    assertThatThrownBy(() -> AttributeValue.fromJson("inventory.ram", List.of("a", 1)))
        .hasMessageContaining("only strings or only numbers");
    assertThatThrownBy(() -> AttributeValue.number(Double.NaN)).hasMessageContaining("finite");
    assertThatThrownBy(() -> AttributeValue.text("x".repeat(AttributeValue.MAX_TEXT_LENGTH + 1)))
        .hasMessageContaining("at most 4096");
  }

  @Test
  void deviceState_fromDeviceProvides_splitsTypeAndName() {
    DeviceState state =
        DeviceState.fromDeviceProvides(
            Map.of("device_type", "arm6", "artifact_name", "v1", "rootfs-image.checksum", "abc"));

    assertThat(state.deviceType()).isEqualTo("arm6");
    assertThat(state.artifactName()).isEqualTo("v1");
    assertThat(state.provides()).containsOnlyKeys("rootfs-image.checksum");
    assertThat(state.provided("artifact_name")).contains("v1");
    assertThatThrownBy(() -> DeviceState.fromDeviceProvides(Map.of("artifact_name", "v1")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("device_provides.device_type"));
  }

  @Test
  void admissionStatus_wireNames_roundTrip_andUnknownRefused() {
    for (AdmissionStatus status : AdmissionStatus.values()) {
      assertThat(AdmissionStatus.fromWireName("status", status.wireName())).isEqualTo(status);
    }
    assertThatThrownBy(() -> AdmissionStatus.fromWireName("status", "ACCEPTED"))
        .isInstanceOf(InvalidInputException.class);
  }
}
