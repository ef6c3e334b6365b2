package dev.updraft.core.release;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.Sets;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.internal.Checks;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * An update artifact [M]: one file of a release, compatible with some device types and, through its
 * {@code depends}, with devices whose provides match. Where its bytes live is a URI the host
 * understands; Updraft never reads them.
 */
@Value.Immutable
public abstract class Artifact {
  Artifact() {}

  /** The longest id, name, device type, key or value accepted. */
  public static final int MAX_NAME_LENGTH = 256;

  /** The most device types an artifact may name [M]. */
  public static final int MAX_DEVICE_TYPES = 200;

  /** The most depends or provides entries an artifact may carry. */
  public static final int MAX_ENTRIES = 1024;

  /** The longest depends or provides value accepted. */
  public static final int MAX_VALUE_LENGTH = 4096;

  /** {@return the artifact's unique id} */
  public abstract String id();

  /** {@return the name of the release this artifact belongs to} */
  public abstract String name();

  /** {@return the device types the artifact installs on (1 to 200)} */
  public abstract Set<String> deviceTypes();

  /**
   * {@return what the device must provide: key → the acceptable values (one or more)} The device
   * type is {@link #deviceTypes()}, not a depends key.
   */
  public abstract Map<String, List<String>> depends();

  /** {@return what the device provides once the artifact is installed} */
  public abstract Map<String, String> provides();

  /**
   * {@return the provides the artifact clears on install; {@code *} matches any run of characters}
   */
  public abstract List<String> clearsProvides();

  /** {@return the types of the artifact's payloads, e.g. {@code rootfs-image}} */
  public abstract List<String> payloadTypes();

  /** {@return the size of the artifact file in bytes} */
  public abstract long size();

  /** {@return the checksum of the artifact file, as the host computed it (e.g. SHA-256 hex)} */
  public abstract String checksum();

  /** {@return where the bytes live, in a scheme the host understands} */
  public abstract URI location();

  /**
   * {@return a builder of an artifact; {@code id}, {@code name}, at least one device type, {@code
   * size}, {@code checksum} and {@code location} are required}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the number of depends keys: more keys, more specific} */
  public int specificity() {
    return depends().size();
  }

  /**
   * {@return why the artifact cannot install on a device in {@code state}: the first device type or
   * depends key it fails, with what the device has} Empty when it is compatible [M].
   *
   * @param state what the device runs: device type, artifact name, provides
   */
  public Optional<Incompatibility> incompatibility(DeviceState state) {
    if (!deviceTypes().contains(state.deviceType())) {
      return Optional.of(
          Incompatibility.of(
              id(),
              DeviceState.DEVICE_TYPE,
              List.copyOf(deviceTypes()),
              Optional.of(state.deviceType())));
    }
    for (Map.Entry<String, List<String>> depend : depends().entrySet()) {
      Optional<String> actual = state.provided(depend.getKey());
      if (actual.isEmpty() || !depend.getValue().contains(actual.get())) {
        return Optional.of(Incompatibility.of(id(), depend.getKey(), depend.getValue(), actual));
      }
    }
    return Optional.empty();
  }

  /**
   * {@return whether the artifact fits a device in {@code state}: its type and depends}
   *
   * @param state what the device runs
   */
  public boolean isCompatibleWith(DeviceState state) {
    return incompatibility(state).isEmpty();
  }

  /**
   * {@return the depends combination this artifact and {@code other} would both install on, if any
   * [M]: two artifacts overlap when their depends (device type included) have the same keys and,
   * for every key, a value in common} The combination names, per key, the smallest common value.
   *
   * @param other the other value
   */
  public Optional<SortedMap<String, String>> overlapWith(Artifact other) {
    if (!depends().keySet().equals(other.depends().keySet())) {
      return Optional.empty();
    }
    ImmutableSortedMap.Builder<String, String> combination = ImmutableSortedMap.naturalOrder();
    Optional<String> type = smallestCommon(deviceTypes(), other.deviceTypes());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    combination.put(DeviceState.DEVICE_TYPE, type.get());
    for (Map.Entry<String, List<String>> depend : depends().entrySet()) {
      Optional<String> value =
          smallestCommon(
              new HashSet<>(depend.getValue()),
              new HashSet<>(other.depends().get(depend.getKey())));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      combination.put(depend.getKey(), value.get());
    }
    return Optional.of(combination.build());
  }

  /**
   * {@return the state of a device in {@code before} once this artifact is installed: the provides
   * matching {@link #clearsProvides()} are cleared, then the artifact's provides and name are set}
   *
   * @param before what the device runs before
   */
  public DeviceState installedOn(DeviceState before) {
    List<Pattern> cleared =
        clearsProvides().stream()
            .map(
                glob ->
                    Pattern.compile(
                        Splitter.on('*')
                            .splitToStream(glob)
                            .map(Pattern::quote)
                            .collect(Collectors.joining(".*"))))
            .toList();
    Map<String, String> after = new LinkedHashMap<>();
    before
        .provides()
        .forEach(
            (key, value) -> {
              if (cleared.stream().noneMatch(glob -> glob.matcher(key).matches())) {
                after.put(key, value);
              }
            });
    after.putAll(provides());
    return DeviceState.of(before.deviceType(), name(), after);
  }

  private static Optional<String> smallestCommon(Set<String> left, Set<String> right) {
    return Sets.intersection(left, right).stream().min(String::compareTo);
  }

  @Value.Check
  void check() {
    Checks.text("artifact id", id(), MAX_NAME_LENGTH);
    Checks.text("artifact name", name(), MAX_NAME_LENGTH);
    Checks.size("device_types_compatible", deviceTypes(), 1, MAX_DEVICE_TYPES);
    deviceTypes().forEach(type -> Checks.text("device_types_compatible", type, MAX_NAME_LENGTH));
    Checks.keys("depends", depends(), MAX_ENTRIES, MAX_NAME_LENGTH);
    depends()
        .forEach(
            (key, values) -> {
              if (key.equals(DeviceState.DEVICE_TYPE)) {
                throw new InvalidInputException(
                    "depends.device_type", values, "is given as device_types_compatible");
              }
              Checks.size("depends." + key, values, 1, MAX_ENTRIES);
              values.forEach(value -> Checks.length("depends." + key, value, MAX_VALUE_LENGTH));
            });
    Checks.keys("provides", provides(), MAX_ENTRIES, MAX_NAME_LENGTH);
    provides().forEach((key, value) -> Checks.length("provides." + key, value, MAX_VALUE_LENGTH));
    Checks.size("clears_provides", clearsProvides(), 0, MAX_ENTRIES);
    clearsProvides().forEach(glob -> Checks.text("clears_provides", glob, MAX_NAME_LENGTH));
    Checks.size("payload types", payloadTypes(), 0, MAX_ENTRIES);
    Checks.range("size", size(), 0, Long.MAX_VALUE);
    Checks.text("checksum", checksum(), MAX_NAME_LENGTH);
  }

  /** Builds an {@link Artifact}; see {@link #builder()}. */
  public static final class Builder extends ImmutableArtifact.Builder {
    Builder() {}
  }
}
