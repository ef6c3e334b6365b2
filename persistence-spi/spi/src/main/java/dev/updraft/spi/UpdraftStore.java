package dev.updraft.spi;

import java.util.Optional;

/**
 * The storage a host application gives Updraft's engine. Three primitives on records, and the event
 * feed; every use case is built from them in the engine.
 *
 * <h2>Consistency</h2>
 *
 * <ul>
 *   <li>{@link #commit} is atomic and isolated per record: either every change of the set is
 *       applied, records and indexes together, or none is. Once it returns, every later {@link
 *       #get} and {@link #scan} sees it (and, for a durable store, so does a restarted one).
 *   <li>{@link #get} returns one committed version of one record; reads of several records are not
 *       a snapshot: they may see commits made between them. The engine relies only on the version
 *       checks of {@code commit} for correctness.
 * </ul>
 *
 * <h2>The event feed (a transactional outbox)</h2>
 *
 * <ul>
 *   <li>A commit's events ({@link ChangeSet#append}) are stored with its changes: a commit that
 *       applies stores them, one that fails stores none, and a durable store keeps them exactly as
 *       long as the changes (a crash never leaves one without the other).
 *   <li>The store gives each event a position: 1, 2, 3, … with no gap and no position used twice,
 *       also across processes sharing one database and across restarts. The events of one commit
 *       get increasing positions in the order appended. When a commit depends on another (it read
 *       what the other wrote, or its version checks came after the other's), its events come after
 *       the other's; of two independent concurrent commits, either may come first.
 *   <li>A store may show an event some time after its commit returned (a shared database may number
 *       events when the feed is read), but never out of order: once {@link #events} returns a
 *       position, every lower position it still holds is visible too, so a reader that pages from
 *       the last position it read never misses one.
 *   <li>The feed is bounded by {@link #trimEvents}, which the engine calls by its retention.
 * </ul>
 *
 * <h2>Thread safety</h2>
 *
 * Every method may be called by many threads at once, and by several processes sharing one
 * database; contention on a record surfaces as a {@link StoreConflictException} from {@code
 * commit}, never as a lost update or a partial commit.
 *
 * <h2>Failures</h2>
 *
 * A store that cannot do its work (database down, I/O error) throws an unchecked exception of its
 * own that is not a {@code StoreConflictException}; the engine does not retry it.
 */
public interface UpdraftStore {
  /**
   * The record of {@code type} with {@code key}, as last committed.
   *
   * @param <R> the type of the record
   * @param type the record type
   * @param key the record's key
   * @return empty when no such record exists (never throws for absence)
   */
  <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key);

  /**
   * Up to {@code limit} records of {@code partition} of {@code index}, in index order (sort key,
   * then record key), starting after {@code after} (a cursor from a previous page, or empty for the
   * first page).
   *
   * <p>Paging guarantee: a record that is in the partition, with the same sort key, for the whole
   * of a paged scan is returned exactly once; records added, changed or removed meanwhile may or
   * may not be. A record is returned only if, as returned, it belongs to the partition. An unknown
   * partition is an empty page.
   *
   * @param <R> the type of the records
   * @param index the index
   * @param partition the partition of the index
   * @param after the cursor of the last record of the previous page, absent for the first
   * @param limit 1 or more
   * @return the page: records in index order, and the cursor of the next page, absent at the end
   */
  <R extends StoredRecord> Page<R> scan(
      Index<R> index, String partition, Optional<String> after, int limit);

  /**
   * Applies {@code changes} atomically (see the class comment).
   *
   * @param changes the change set
   * @throws StoreConflictException naming the first record found not as expected: an insert of an
   *     existing key, an update, delete or check of a missing record or of another version; nothing
   *     was applied
   */
  void commit(ChangeSet changes);

  /**
   * Up to {@code limit} events of the feed at positions after {@code after}, in position order,
   * without a gap, with the bounds of what the store holds (see the class comment). Events at
   * positions the store trimmed are not returned: a page whose first position is not {@code after +
   * 1} starts at {@link EventPage#oldest}.
   *
   * @param after the last position read, 0 for the start
   * @param limit 1 or more
   * @return the page; its events are empty when none follow {@code after}
   */
  EventPage events(long after, int limit);

  /**
   * Removes the events at positions up to and including {@code through}; their positions are never
   * used again. Concurrent trims and commits are safe.
   *
   * @param through the last position to remove; past the last position, every event is removed
   */
  void trimEvents(long through);
}
