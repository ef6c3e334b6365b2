package dev.updraft.core.release;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.internal.Checks;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A release: every artifact that shares a name [M], with tags and notes. No two of its artifacts
 * overlap (install on the same depends combination), so the choice for a device is never ambiguous
 * by more than specificity, size and id.
 */
@Value.Immutable
public abstract class Release {
  Release() {}

  /** The most tags a release may carry [M]. */
  public static final int MAX_TAGS = 20;

  /** The longest tag accepted. */
  public static final int MAX_TAG_LENGTH = 256;

  /** What a tag may contain [M]. */
  public static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]+");

  /** The longest notes accepted [M]. */
  public static final int MAX_NOTES_LENGTH = 1024;

  /** Most depends keys first, then the smallest, then the lowest id [U]. */
  private static final Comparator<Artifact> PREFERENCE =
      Comparator.comparingInt(Artifact::specificity)
          .reversed()
          .thenComparingLong(Artifact::size)
          .thenComparing(Artifact::id);

  /** {@return the release's name: its artifacts' name} */
  public abstract String name();

  /** {@return the artifacts, in the order they were added; never empty} */
  public abstract List<Artifact> artifacts();

  /** {@return the release's tags: lowercased, deduplicated, at most 20} */
  public abstract Set<String> tags();

  /** {@return the release's notes; empty when none were set} */
  @Value.Default
  public String notes() {
    return "";
  }

  /**
   * {@return a release of one artifact; its name is the artifact's}
   *
   * @param artifact the artifact
   */
  public static Release of(Artifact artifact) {
    return ImmutableRelease.builder().name(artifact.name()).addArtifacts(artifact).build();
  }

  /**
   * {@return a release of the given artifacts, checked as if they were added one by one}
   *
   * @param artifacts the artifacts, in the order they were added; never empty
   */
  public static Release of(Collection<Artifact> artifacts) {
    if (artifacts.isEmpty()) {
      throw new InvalidInputException("artifacts", artifacts, "must not be empty");
    }
    Release release = null;
    for (Artifact artifact : artifacts) {
      release = release == null ? of(artifact) : release.withArtifact(artifact);
    }
    return release;
  }

  /**
   * {@return the release with {@code artifact} added} Refused with a {@link ConflictException}
   * naming the depends combination when the artifact overlaps one already in the release [M], or
   * when its id is taken; an artifact of another name is invalid input.
   *
   * @param artifact the artifact
   */
  public Release withArtifact(Artifact artifact) {
    if (!artifact.name().equals(name())) {
      throw new InvalidInputException(
          "artifact name", artifact.name(), "must be the release's name " + name());
    }
    for (Artifact existing : artifacts()) {
      if (existing.id().equals(artifact.id())) {
        throw new ConflictException("artifact", artifact.id(), "an artifact with this id exists");
      }
      existing
          .overlapWith(artifact)
          .ifPresent(
              combination -> {
                throw new ConflictException(
                    "artifact",
                    artifact.id(),
                    "release "
                        + name()
                        + " already has artifact "
                        + existing.id()
                        + " for "
                        + combination);
              });
    }
    return copy()
        .withArtifacts(ImmutableList.<Artifact>builder().addAll(artifacts()).add(artifact).build());
  }

  /**
   * {@return the release without the artifact {@code id}; empty when it was the last one}
   *
   * @param id the id
   */
  public Optional<Release> withoutArtifact(String id) {
    List<Artifact> rest = artifacts().stream().filter(a -> !a.id().equals(id)).toList();
    if (rest.size() == artifacts().size()) {
      throw new NotFoundException("artifact", id);
    }
    return rest.isEmpty() ? Optional.empty() : Optional.of(copy().withArtifacts(rest));
  }

  /**
   * {@return the release with its tags replaced; tags are lowercased and deduplicated [M]}
   *
   * @param tags lowercased, deduplicated, at most 20
   */
  public Release withTags(Collection<String> tags) {
    ImmutableSet.Builder<String> normalized = ImmutableSet.builder();
    int index = 0;
    for (String tag : tags) {
      Checks.pattern("tags[" + index++ + "]", tag, MAX_TAG_LENGTH, TAG);
      normalized.add(tag.toLowerCase(Locale.ROOT));
    }
    Iterable<String> lowercased = normalized.build(); // the generated setter, not this method
    return copy().withTags(lowercased);
  }

  /**
   * This release with {@code notes}.
   *
   * @param notes the notes, replacing the old
   * @return the changed release
   * @throws dev.updraft.core.InvalidInputException when they are too long
   */
  public Release withNotes(String notes) {
    return copy().withNotes(notes);
  }

  /**
   * {@return the artifact a device in {@code state} gets from this release, with the reasons the
   * others were passed over [M, U]}
   *
   * @param state what the device runs: device type, artifact name, provides
   */
  public ArtifactChoice choose(DeviceState state) {
    ImmutableList.Builder<Incompatibility> rejected = ImmutableList.builder();
    Artifact best = null;
    for (Artifact artifact : artifacts()) {
      Optional<Incompatibility> incompatibility = artifact.incompatibility(state);
      if (incompatibility.isPresent()) {
        rejected.add(incompatibility.get());
      } else if (best == null || PREFERENCE.compare(artifact, best) < 0) {
        best = artifact;
      }
    }
    return ArtifactChoice.of(Optional.ofNullable(best), rejected.build());
  }

  private ImmutableRelease copy() {
    return (ImmutableRelease) ImmutableRelease.copyOf(this);
  }

  @Value.Check
  void check() {
    Checks.text("release name", name(), Artifact.MAX_NAME_LENGTH);
    Checks.size("artifacts", artifacts(), 1, Integer.MAX_VALUE);
    Checks.range("tags size", tags().size(), 0, MAX_TAGS);
    for (String tag : tags()) {
      if (!tag.equals(tag.toLowerCase(Locale.ROOT))) {
        throw new InvalidInputException("tags", tag, "must be lowercase");
      }
    }
    Checks.length("notes", notes(), MAX_NOTES_LENGTH);
  }
}
