package dev.updraft.core.release;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The artifact chosen for a device, and why each other artifact of the release was not. */
@Value.Immutable
public abstract class ArtifactChoice {
  ArtifactChoice() {}

  /** {@return the artifact chosen, absent when none fits} */
  @Value.Parameter
  public abstract Optional<Artifact> artifact();

  /** {@return one entry per incompatible artifact, in release order} */
  @Value.Parameter
  public abstract List<Incompatibility> rejected();

  /**
   * {@return the choice of {@code artifact}, with why each other artifact was passed over}
   *
   * @param artifact the artifact chosen, absent when none fits
   * @param rejected one entry per incompatible artifact, in release order
   */
  public static ArtifactChoice of(Optional<Artifact> artifact, List<Incompatibility> rejected) {
    return new ImmutableArtifactChoice(artifact, rejected);
  }
}
