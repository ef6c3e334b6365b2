package dev.updraft.core.release;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Why an artifact does not install on a device: the key it failed ({@code device_type} or a depends
 * key), the values it accepts, and what the device has (absent when the device does not provide the
 * key).
 */
@Value.Immutable
public abstract class Incompatibility {
  Incompatibility() {}

  @Value.Parameter
  public abstract String artifactId();

  @Value.Parameter
  public abstract String key();

  @Value.Parameter
  public abstract List<String> accepted();

  @Value.Parameter
  public abstract Optional<String> actual();

  public static Incompatibility of(
      String artifactId, String key, List<String> accepted, Optional<String> actual) {
    return new ImmutableIncompatibility(artifactId, key, accepted, actual);
  }

  @Override
  public String toString() {
    return "artifact "
        + artifactId()
        + " needs "
        + key()
        + " in "
        + accepted()
        + ", device has "
        + actual().orElse("nothing");
  }
}
