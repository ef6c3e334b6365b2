package dev.updraft.core.release;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The artifact chosen for a device, and why each other artifact of the release was not. */
@Value.Immutable
public abstract class ArtifactChoice {
  ArtifactChoice() {}

  @Value.Parameter
  public abstract Optional<Artifact> artifact();

  /** One entry per incompatible artifact, in release order. */
  @Value.Parameter
  public abstract List<Incompatibility> rejected();

  public static ArtifactChoice of(Optional<Artifact> artifact, List<Incompatibility> rejected) {
    return new ImmutableArtifactChoice(artifact, rejected);
  }
}
