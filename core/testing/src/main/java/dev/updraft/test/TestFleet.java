package dev.updraft.test;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.Updraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a fleet of devices in an engine for a test: each registered, accepted, reporting a state
 * and inventory, and in a static group if one is given, in as many engine calls as a real device
 * would make. Not thread safe; build a fleet from one thread.
 *
 * <pre>{@code
 * List<String> ids =
 *     TestFleet.of(updraft).devices("rpi-", 10).state("raspberrypi4", "app-1.0")
 *         .attribute("region", "eu").group("lab").build();
 * }</pre>
 */
public final class TestFleet {
  private final Updraft updraft;
  private String prefix = "device-";
  private int count = 1;
  private DeviceState state = DeviceState.of("test-board", "v0");
  private final Map<String, AttributeValue> inventory = new LinkedHashMap<>();
  private Optional<String> group = Optional.empty();

  private TestFleet(Updraft updraft) {
    this.updraft = Objects.requireNonNull(updraft, "updraft");
  }

  /**
   * {@return a fleet of one device, {@code device-0}, a {@code test-board} on {@code v0}, in {@code
   * updraft}}
   *
   * @param updraft the engine to build the fleet in
   */
  public static TestFleet of(Updraft updraft) {
    return new TestFleet(updraft);
  }

  /**
   * {@code count} devices with ids {@code prefix0}, {@code prefix1}, … .
   *
   * @param prefix what every id starts with
   * @param count how many devices
   * @return this builder
   * @throws InvalidInputException when {@code count} is not positive
   */
  public TestFleet devices(String prefix, int count) {
    if (count < 1) {
      throw new InvalidInputException("count", count, "must be at least 1");
    }
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.count = count;
    return this;
  }

  /**
   * {@return the device type and artifact name every device reports}
   *
   * @param deviceType the device type, e.g. {@code raspberrypi4}
   * @param artifactName the name of the artifact the devices run
   */
  public TestFleet state(String deviceType, String artifactName) {
    this.state = DeviceState.of(deviceType, artifactName);
    return this;
  }

  /**
   * {@return an inventory attribute every device reports, as text}
   *
   * @param name the attribute's name
   * @param value its value
   */
  public TestFleet attribute(String name, String value) {
    inventory.put(name, AttributeValue.text(value));
    return this;
  }

  /**
   * {@return the static group every device is put in}
   *
   * @param group the group's name
   */
  public TestFleet group(String group) {
    this.group = Optional.of(group);
    return this;
  }

  /**
   * Registers, accepts and reports every device, then groups it: commits four or five writes per
   * device.
   *
   * @return the devices' ids, in order
   * @throws dev.updraft.core.UpdraftException as the engine's calls throw, e.g. for a bad id
   */
  public List<String> build() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      updraft.register(id, Map.of("id", AttributeValue.text(id)));
      updraft.setAdmission(id, AdmissionStatus.ACCEPTED);
      updraft.updateState(id, state);
      if (!inventory.isEmpty()) {
        updraft.reportInventory(id, inventory);
      }
      group.ifPresent(g -> updraft.assignGroup(id, g));
      ids.add(id);
    }
    return ids;
  }
}
