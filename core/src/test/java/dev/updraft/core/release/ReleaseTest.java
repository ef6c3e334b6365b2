package dev.updraft.core.release;

import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.device.DeviceState;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseTest {
  private static final String CHECKSUM = "rootfs-image.checksum";

  private static Artifact artifact(
      String id, List<String> types, Map<String, List<String>> depends) {
    return anArtifact(id).addAllDeviceTypes(types).putAllDepends(depends).size(100).build();
  }

  /** Mender's case table: release1 holds four artifacts; which fifth ones conflict. */
  static Release menderRelease() {
    return Release.of(
        List.of(
            artifact("e1", List.of("arm6"), Map.of(CHECKSUM, List.of("1"))),
            artifact("e2", List.of("arm7"), Map.of(CHECKSUM, List.of("1"))),
            artifact("e3", List.of("arm6"), Map.of(CHECKSUM, List.of("2"))),
            artifact(
                "e4",
                List.of("arm8", "arm9"),
                Map.of(CHECKSUM, List.of("3"), "foo", List.of("foo1", "foo2")))));
  }

  static Stream<Arguments> conflictCases() {
    return Stream.of(
        Arguments.of(
            "arm6|arm7, checksum 2",
            artifact("n", List.of("arm6", "arm7"), Map.of(CHECKSUM, List.of("2"))),
            "e3"),
        Arguments.of(
            "arm6|arm8, checksum 1",
            artifact("n", List.of("arm6", "arm8"), Map.of(CHECKSUM, List.of("1"))),
            "e1"),
        Arguments.of(
            "arm8, checksum 3, foo=foo1",
            artifact("n", List.of("arm8"), Map.of(CHECKSUM, List.of("3"), "foo", List.of("foo1"))),
            "e4"),
        Arguments.of(
            "arm8, checksum 3, foo=foo1, bar=bar1",
            artifact(
                "n",
                List.of("arm8"),
                Map.of(CHECKSUM, List.of("3"), "foo", List.of("foo1"), "bar", List.of("bar1"))),
            null),
        Arguments.of(
            "arm7, checksum 2",
            artifact("n", List.of("arm7"), Map.of(CHECKSUM, List.of("2"))),
            null),
        Arguments.of(
            "arm9, checksum 3, foo=foo3",
            artifact("n", List.of("arm9"), Map.of(CHECKSUM, List.of("3"), "foo", List.of("foo3"))),
            null),
        Arguments.of("arm6 without depends", artifact("n", List.of("arm6"), Map.of()), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conflictCases")
  void withArtifact_conflictTable(String label, Artifact candidate, String conflictsWith) {
    Release release = menderRelease();
    if (conflictsWith == null) {
      assertThat(release.withArtifact(candidate).artifacts()).hasSize(5).contains(candidate);
    } else {
      assertThatThrownBy(() -> release.withArtifact(candidate))
          .isInstanceOfSatisfying(
              ConflictException.class,
              e -> {
                assertThat(e.id()).isEqualTo("n");
                assertThat(e).hasMessageContaining("already has artifact " + conflictsWith);
                assertThat(e).hasMessageContaining("device_type=");
              });
    }
  }

  @Test
  @DisplayName("a conflict names the depends combination both artifacts install on")
  void withArtifact_conflict_namesCombination() {
    assertThatThrownBy(
            () ->
                menderRelease()
                    .withArtifact(
                        artifact("n", List.of("arm6", "arm7"), Map.of(CHECKSUM, List.of("2")))))
        .hasMessageContaining("{device_type=arm6, rootfs-image.checksum=2}");
  }

  @Test
  void withArtifact_duplicateId_conflict_otherName_invalid() {
    Release release = menderRelease();
    assertThatThrownBy(() -> release.withArtifact(artifact("e1", List.of("x"), Map.of())))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("an artifact with this id exists");
    assertThatThrownBy(() -> release.withArtifact(anArtifact("z", "release2", "x")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact name"));
  }

  @Test
  void withoutArtifact_removesIt_lastOneEmptiesTheRelease() {
    Release release = menderRelease();
    assertThat(release.withoutArtifact("e2").orElseThrow().artifacts())
        .extracting(Artifact::id)
        .containsExactly("e1", "e3", "e4");
    assertThat(Release.of(anArtifact("only", "r", "x")).withoutArtifact("only")).isEmpty();
    assertThatThrownBy(() -> release.withoutArtifact("nope")).isInstanceOf(NotFoundException.class);
  }

  @Nested
  class TagsAndNotes {
    @Test
    @DisplayName("tags are stored lowercased and deduplicated")
    void withTags_lowercasedAndDeduplicated() {
      assertThat(menderRelease().withTags(List.of("Prod", "prod", "v1.2_rc-1")).tags())
          .containsExactly("prod", "v1.2_rc-1");
    }

    @Test
    void withTags_moreThan20_refused() {
      List<String> tags = Stream.iterate(0, i -> i + 1).limit(21).map(i -> "t" + i).toList();
      assertThat(menderRelease().withTags(tags.subList(0, 20)).tags()).hasSize(20);
      assertThatThrownBy(() -> menderRelease().withTags(tags))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tags size"));
    }

    @Test
    void withTags_badCharacters_refusedNamingTheTag() {
      assertThatThrownBy(() -> menderRelease().withTags(List.of("ok", "not ok")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tags[1]"));
    }

    @Test
    void withNotes_over1024_refused() {
      assertThat(menderRelease().withNotes("n".repeat(1024)).notes()).hasSize(1024);
      assertThatThrownBy(() -> menderRelease().withNotes("n".repeat(1025)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("notes"));
    }
  }

  @Nested
  class Selection {
    private final DeviceState arm6 = DeviceState.of("arm6", "v0", Map.of(CHECKSUM, "2"));

    @Test
    @DisplayName(
        "the most specific compatible artifact wins, then the smallest, then the lowest id")
    void choose_prefersSpecificThenSmallThenLowId() {
      Artifact generic = anArtifact("g").addDeviceTypes("arm6").size(10).build();
      Artifact specific =
          anArtifact("s")
              .addDeviceTypes("arm6")
              .putDepends(CHECKSUM, List.of("2"))
              .size(999)
              .build();
      Artifact other = anArtifact("o").addDeviceTypes("arm7").size(1).build();
      assertThat(Release.of(List.of(generic, specific, other)).choose(arm6).artifact())
          .contains(specific);

      DeviceState both = DeviceState.of("arm6", "v0", Map.of("x", "1", "y", "1"));
      Artifact small =
          anArtifact("b").addDeviceTypes("arm6").putDepends("x", List.of("1")).size(5).build();
      Artifact large =
          anArtifact("a").addDeviceTypes("arm6").putDepends("y", List.of("1")).size(6).build();
      assertThat(Release.of(List.of(large, small)).choose(both).artifact()).contains(small);

      Artifact tie =
          anArtifact("a").addDeviceTypes("arm6").putDepends("y", List.of("1")).size(5).build();
      assertThat(Release.of(List.of(small, tie)).choose(both).artifact())
          .as("same specificity and size: lowest id")
          .contains(tie);
    }

    @Test
    @DisplayName("no compatible artifact: the choice is empty and names what each artifact needs")
    void choose_noneCompatible_explains() {
      ArtifactChoice choice =
          menderRelease().choose(DeviceState.of("arm9", "v0", Map.of(CHECKSUM, "3")));

      assertThat(choice.artifact()).isEmpty();
      assertThat(choice.rejected())
          .extracting(Incompatibility::key)
          .containsExactly("device_type", "device_type", "device_type", "foo");
      assertThat(choice.rejected().get(3).actual()).isEmpty();
      assertThat(choice.rejected().get(0).toString())
          .isEqualTo("artifact e1 needs device_type in [arm6], device has arm9");
    }

    @Test
    @DisplayName("a depends on artifact_name matches the device's installed artifact")
    void choose_dependsOnArtifactName() {
      Artifact delta =
          anArtifact("d")
              .size(1)
              .addDeviceTypes("arm6")
              .putDepends("artifact_name", List.of("v1", "v2"))
              .build();
      Release release = Release.of(delta);
      assertThat(release.choose(DeviceState.of("arm6", "v2")).artifact()).contains(delta);
      assertThat(release.choose(DeviceState.of("arm6", "v0")).artifact()).isEmpty();
    }

    @Test
    void installedOn_clearsMatchingProvidesThenAddsTheArtifacts() {
      Artifact artifact =
          anArtifact("x")
              .size(1)
              .addDeviceTypes("arm6")
              .addClearsProvides("rootfs-image.*")
              .putProvides("rootfs-image.checksum", "new")
              .build();
      DeviceState before =
          DeviceState.of("arm6", "v0", Map.of("rootfs-image.version", "0", "data.x", "kept"));

      DeviceState after = artifact.installedOn(before);

      assertThat(after.artifactName()).isEqualTo("release1");
      assertThat(after.provides())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("data.x", "kept", "rootfs-image.checksum", "new"));
    }
  }

  @Test
  void artifact_validation_namesTheField() {
    assertThatThrownBy(() -> anArtifact("x").size(1).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("device_types_compatible"));
    assertThatThrownBy(
            () ->
                anArtifact("x")
                    .size(1)
                    .addDeviceTypes("arm6")
                    .putDepends("device_type", List.of("arm6"))
                    .build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("depends.device_type"));
    assertThatThrownBy(
            () -> anArtifact("x").size(1).addDeviceTypes("arm6").putDepends("k", List.of()).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("depends.k"));
    assertThatThrownBy(() -> anArtifact("x").addDeviceTypes("arm6").size(-1).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("size"));
    List<String> types = Stream.iterate(0, i -> i + 1).limit(201).map(i -> "t" + i).toList();
    assertThatThrownBy(() -> anArtifact("x").size(1).addAllDeviceTypes(types).build())
        .hasMessageContaining("must have 1 to 200 elements");
  }
}
