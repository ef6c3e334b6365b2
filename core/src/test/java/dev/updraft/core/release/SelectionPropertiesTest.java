package dev.updraft.core.release;

import static dev.updraft.core.Generators.EXAMPLES;
import static dev.updraft.core.Generators.artifacts;
import static dev.updraft.core.Generators.deviceStates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.updraft.core.ConflictException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class SelectionPropertiesTest {

  /** Up to six artifacts, each added unless it overlaps one already in the release. */
  private static Gen<Release> releases() {
    return artifacts("a0")
        .zip(
            artifacts("a1"),
            artifacts("a2"),
            artifacts("a3"),
            (a0, a1, a2, a3) -> {
              Release release = Release.of(a0);
              for (Artifact next : List.of(a1, a2, a3)) {
                try {
                  release = release.withArtifact(next);
                } catch (ConflictException overlapping) {
                  // the release keeps its artifacts apart: skip this one
                }
              }
              return release;
            });
  }

  @Test
  @DisplayName(
      "selection is deterministic whatever the order of the artifacts, and never incompatible")
  void choose_orderIndependent_compatible_preferred() {
    qt().withExamples(EXAMPLES)
        .forAll(releases(), deviceStates(), longs().all())
        .checkAssert(
            (release, state, seed) -> {
              List<Artifact> shuffled = new ArrayList<>(release.artifacts());
              Collections.shuffle(shuffled, new Random(seed));
              Optional<Artifact> chosen = release.choose(state).artifact();

              assertThat(Release.of(shuffled).choose(state).artifact()).isEqualTo(chosen);
              List<Artifact> compatible =
                  release.artifacts().stream().filter(a -> a.isCompatibleWith(state)).toList();
              assertThat(chosen.isPresent()).isEqualTo(!compatible.isEmpty());
              chosen.ifPresent(
                  artifact -> {
                    assertThat(artifact.isCompatibleWith(state)).isTrue();
                    for (Artifact other : compatible) {
                      assertThat(prefers(artifact, other) || artifact.equals(other))
                          .as("%s preferred over %s", artifact.id(), other.id())
                          .isTrue();
                    }
                  });
              assertThat(release.choose(state).rejected())
                  .hasSize(release.artifacts().size() - compatible.size());
            });
  }

  /** The rule of DOMAIN.md §2, written out independently of {@link Release}'s comparator. */
  private static boolean prefers(Artifact a, Artifact b) {
    if (a.depends().size() != b.depends().size()) {
      return a.depends().size() > b.depends().size();
    }
    if (a.size() != b.size()) {
      return a.size() < b.size();
    }
    return a.id().compareTo(b.id()) < 0;
  }

  @Test
  @DisplayName("no two artifacts of a release ever install on the same device state")
  void release_noStateHasTwoEquallyGoodArtifacts() {
    qt().withExamples(EXAMPLES)
        .forAll(releases(), deviceStates())
        .checkAssert(
            (release, state) -> {
              List<Artifact> compatible =
                  release.artifacts().stream().filter(a -> a.isCompatibleWith(state)).toList();
              for (Artifact a : compatible) {
                for (Artifact b : compatible) {
                  if (!a.equals(b)) {
                    assertThat(a.depends().keySet()).isNotEqualTo(b.depends().keySet());
                  }
                }
              }
            });
  }
}
