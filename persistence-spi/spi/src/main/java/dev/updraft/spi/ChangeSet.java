package dev.updraft.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@link UpdraftStore#commit commit} applies, all or nothing: inserts of records that must
 * not exist yet (at version 1), updates that name the record they replace (its version is the one
 * expected; the new record's is the next), deletes that name the version they remove, and checks
 * that a record is still at the version read (changing nothing). A record appears at most once.
 *
 * <p>A record's state at a version is unique (a version is written once), so the record an update
 * replaces is, when the commit applies, the stored one: a store may take its index entries from it
 * instead of reading it.
 */
public final class ChangeSet {
  /** What a change does. */
  public enum Kind {
    /** Insert a record at version 1; its key must not exist. */
    INSERT,
    /** Replace the previous version of a record. */
    UPDATE,
    /** Delete a record stored at its version. */
    DELETE,
    /** Require a record at its version; change nothing. */
    CHECK
  }

  /**
   * One change. For an insert or update, {@code record} is the new state; for a delete, it is the
   * state being removed (its version is the one expected); for a check, the state read.
   *
   * @param kind what the change does
   * @param type the record type
   * @param record the record
   * @param replaced for an update, the record it replaces; otherwise {@code record} for a delete or
   *     a check, and empty for an insert
   */
  public record Change(
      Kind kind, RecordType<?> type, StoredRecord record, Optional<StoredRecord> replaced) {
    /** {@return the version the store must hold now: none for an insert} */
    public long expectedVersion() {
      return kind == Kind.UPDATE ? record.version() - 1 : record.version();
    }
  }

  /**
   * A record's identity within a change set.
   *
   * @param type the record type
   * @param key the record's key
   */
  private record Named(RecordType<?> type, String key) {}

  private final List<Change> changes = new ArrayList<>();
  private final Set<Named> names = new HashSet<>();
  private final List<EventRecord> events = new ArrayList<>();

  /** {@return an empty change set} */
  public static ChangeSet create() {
    return new ChangeSet();
  }

  /**
   * Insert {@code record}, which must be at version 1 and whose key must not exist.
   *
   * @param <R> the type of the record
   * @param type the record type
   * @param record the record
   * @return this change set
   */
  public <R extends StoredRecord> ChangeSet insert(RecordType<R> type, R record) {
    if (record.version() != 1) {
      throw new IllegalArgumentException(type + " " + record.key() + ": an insert is version 1");
    }
    return add(new Change(Kind.INSERT, type, record, Optional.empty()));
  }

  /**
   * Replace {@code replaced}, the record as read, with {@code record}, its next version.
   *
   * @param <R> the type of the record
   * @param type the record type
   * @param replaced the record as read, whose version the store must hold
   * @param record the new state: the same key, the next version
   * @return this change set
   * @throws IllegalArgumentException when the keys differ or the version is not the next
   */
  public <R extends StoredRecord> ChangeSet update(RecordType<R> type, R replaced, R record) {
    if (!replaced.key().equals(record.key()) || record.version() != replaced.version() + 1) {
      throw new IllegalArgumentException(
          type
              + " "
              + record.key()
              + " at version "
              + record.version()
              + " does not follow "
              + replaced.key()
              + " at version "
              + replaced.version());
    }
    return add(new Change(Kind.UPDATE, type, record, Optional.of(replaced)));
  }

  /**
   * Delete {@code record}, the record as read, which must be stored at its version.
   *
   * @param <R> the type of the record
   * @param type the record type
   * @param record the record
   * @return this change set
   */
  public <R extends StoredRecord> ChangeSet delete(RecordType<R> type, R record) {
    return add(new Change(Kind.DELETE, type, record, Optional.of(record)));
  }

  /**
   * Require {@code record} to be stored at its version when the commit applies; change nothing.
   *
   * @param <R> the type of the record
   * @param type the record type
   * @param record the record
   * @return this change set
   */
  public <R extends StoredRecord> ChangeSet check(RecordType<R> type, R record) {
    return add(new Change(Kind.CHECK, type, record, Optional.of(record)));
  }

  /**
   * Append {@code event} to the feed when this change set commits: the store assigns its position
   * (see {@link UpdraftStore#events}).
   *
   * @param event the event, at position 0
   * @return this change set
   * @throws IllegalArgumentException when the event already has a position
   */
  public ChangeSet append(EventRecord event) {
    if (event.position() != 0) {
      throw new IllegalArgumentException(
          "event " + event.id() + " has position " + event.position() + ": the store assigns it");
    }
    events.add(event);
    return this;
  }

  /**
   * {@return the events to append, in the order they were appended: a read-only view, not a copy (a
   * commit reads it on every call, the engine and the store each once)}
   */
  public List<EventRecord> events() {
    return Collections.unmodifiableList(events);
  }

  /** {@return the changes, in the order they were added} */
  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /** {@return whether the change set holds no change and no event} */
  public boolean isEmpty() {
    return changes.isEmpty() && events.isEmpty();
  }

  private ChangeSet add(Change change) {
    if (!type(change).equals(change.type().recordClass())) {
      throw new IllegalArgumentException(change.type() + " does not hold " + change.record());
    }
    if (!names.add(new Named(change.type(), change.record().key()))) {
      throw new IllegalArgumentException(
          change.type() + " " + change.record().key() + " appears twice in one change set");
    }
    changes.add(change);
    return this;
  }

  private static Class<?> type(Change change) {
    return change.record().getClass();
  }
}
