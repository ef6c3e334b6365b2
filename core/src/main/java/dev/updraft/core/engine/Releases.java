package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.ReleaseRecord;
import dev.updraft.spi.StoreConflictException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Releases and their artifacts; an artifact id is unique across releases (a claim holds it). */
final class Releases {
  private final Context context;
  private final Storage storage;

  Releases(Context context) {
    this.context = context;
    this.storage = context.storage;
  }

  Release addArtifact(Artifact artifact) {
    return storage.retrying(
        "add artifact",
        () -> {
          Optional<ReleaseRecord> stored = storage.get(RecordType.RELEASE, artifact.name());
          ChangeSet changes = ChangeSet.create();
          Release release;
          if (stored.isEmpty()) {
            release = Release.of(artifact);
            changes.insert(RecordType.RELEASE, Mapping.record(release, 1));
          } else {
            release = context.release(stored.get()).withArtifact(artifact);
            changes.update(
                RecordType.RELEASE,
                stored.get(),
                Mapping.record(release, stored.get().version() + 1));
          }
          changes.insert(
              RecordType.CLAIM, new ClaimRecord(artifactClaim(artifact.id()), 1, artifact.name()));
          try {
            storage.commit(changes);
          } catch (StoreConflictException conflict) {
            if (conflict.recordType().equals(RecordType.CLAIM.name())) {
              throw new ConflictException(
                  "artifact", artifact.id(), "an artifact with this id exists");
            }
            throw conflict;
          }
          return release;
        });
  }

  void removeArtifact(String artifactId) {
    storage.retrying(
        "remove artifact",
        () -> {
          ReleaseRecord stored =
              storage.scanAll(Index.RELEASES_BY_ARTIFACT, artifactId).stream()
                  .findFirst()
                  .orElseThrow(() -> new NotFoundException("artifact", artifactId));
          List<DeploymentRecord> active =
              storage.scanAll(Index.ACTIVE_DEPLOYMENTS_BY_RELEASE, stored.name());
          if (!active.isEmpty()) {
            throw new ConflictException(
                "artifact", artifactId, "unfinished deployment " + active.get(0).id() + " uses it");
          }
          ChangeSet changes = ChangeSet.create();
          Optional<Release> rest = context.release(stored).withoutArtifact(artifactId);
          if (rest.isPresent()) {
            changes.update(
                RecordType.RELEASE, stored, Mapping.record(rest.get(), stored.version() + 1));
          } else {
            changes.delete(RecordType.RELEASE, stored);
          }
          storage
              .get(RecordType.CLAIM, artifactClaim(artifactId))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
          storage.commit(changes);
          return null;
        });
  }

  Optional<Artifact> artifact(String artifactId) {
    return storage.scanAll(Index.RELEASES_BY_ARTIFACT, artifactId).stream()
        .findFirst()
        .flatMap(
            stored ->
                context.release(stored).artifacts().stream()
                    .filter(a -> a.id().equals(artifactId))
                    .findFirst());
  }

  Optional<Release> release(String name) {
    return storage.get(RecordType.RELEASE, name).map(context::release);
  }

  ResultPage<Release> releases(PageRequest page) {
    return storage.page(
        Index.RELEASES_BY_NAME, Index.ALL_PARTITION, context::release, r -> true, page);
  }

  Release update(String name, UnaryOperator<Release> change) {
    return storage.retrying(
        "update release",
        () -> {
          ReleaseRecord stored = context.require(RecordType.RELEASE, "release", name);
          Release release = change.apply(context.release(stored));
          storage.commit(
              ChangeSet.create()
                  .update(
                      RecordType.RELEASE, stored, Mapping.record(release, stored.version() + 1)));
          return release;
        });
  }

  private static String artifactClaim(String artifactId) {
    return "artifact:" + artifactId;
  }
}
