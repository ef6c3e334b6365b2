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

  /** {@return the artifact that does not fit} */
  @Value.Parameter
  public abstract String artifactId();

  /** {@return the key that does not match: {@code device_type} or a depends key} */
  @Value.Parameter
  public abstract String key();

  /** {@return the values the artifact accepts under the key} */
  @Value.Parameter
  public abstract List<String> accepted();

  /** {@return the device's value under the key, absent when it has none} */
  @Value.Parameter
  public abstract Optional<String> actual();

  /**
   * {@return the artifact {@code artifactId} accepts {@code accepted} under {@code key}; the device
   * has {@code actual}}
   *
   * @param artifactId the artifact that does not fit
   * @param key the key that does not match: {@code device_type} or a depends key
   * @param accepted the values the artifact accepts under the key
   * @param actual the device's value under the key, absent when it has none
   */
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
