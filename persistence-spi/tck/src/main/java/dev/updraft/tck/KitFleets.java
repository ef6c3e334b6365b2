package dev.updraft.tck;

import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import java.net.URI;
import java.util.Map;

/** The kit's fleet-building steps, shared by its engine-level checks. */
final class KitFleets {
  private KitFleets() {}

  /**
   * Registers {@code id}, accepts it, and has it report {@code type} running {@code v0}.
   *
   * @param id the id
   * @param type the record type
   */
  static void acceptedDevice(Updraft engine, String id, String type) {
    engine.register(id, Map.of("mac", AttributeValue.text(id)));
    engine.setAdmission(id, AdmissionStatus.ACCEPTED);
    engine.reportInventory(
        id,
        Map.of(
            "device_type", AttributeValue.text(type), "artifact_name", AttributeValue.text("v0")));
  }

  /**
   * Adds release {@code name} with one artifact for {@code type}.
   *
   * @param name the name
   * @param type the record type
   */
  static void release(Updraft engine, String name, String type) {
    engine.addArtifact(
        Artifact.builder()
            .id(name + "-" + type)
            .name(name)
            .addDeviceTypes(type)
            .size(1)
            .checksum("sum")
            .location(URI.create("mem:" + name))
            .build());
  }
}
