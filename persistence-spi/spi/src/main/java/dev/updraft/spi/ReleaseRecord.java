package dev.updraft.spi;

import java.util.List;

/**
 * A release with its artifacts, tags and notes. Artifacts live inside the release so that adding
 * one is a versioned update of the release: two concurrent additions of overlapping artifacts can
 * never both succeed.
 *
 * @param version the record's version, from 1
 * @param artifacts the release's artifacts, in the order added
 * @param name the name
 * @param tags the tags, replacing the old
 * @param notes the notes, replacing the old
 */
public record ReleaseRecord(
    String name, long version, List<ArtifactRecord> artifacts, List<String> tags, String notes)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param version the record's version, from 1
   * @param artifacts the release's artifacts, in the order added
   * @param name the name
   * @param tags the tags, replacing the old
   * @param notes the notes, replacing the old
   */
  public ReleaseRecord {
    artifacts = List.copyOf(artifacts);
    tags = List.copyOf(tags);
  }

  @Override
  public String key() {
    return name;
  }
}
