package dev.updraft.jdbc;

import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.memory.InMemoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One embedded H2 database open in this JVM: how its commits take turns and reach the disk, and the
 * copy of its records that reads are served from.
 *
 * <p>Commits take turns (one {@link #lock}): under concurrent writers H2's MVStore let a writer
 * that waited for a row lock go on with the row as it was before the holder committed (the kit
 * caught two winners of one version and duplicate index entries).
 *
 * <p>They reach the disk by group commit: a transaction commits in memory, then {@link
 * #awaitDurable} returns once a {@code CHECKPOINT SYNC} (which writes and syncs everything
 * committed so far) has started after it and ended. One checkpoint runs at a time, and it covers
 * every commit that ended before it started, so concurrent commits share one disk write and sync
 * instead of one each (H2's {@code WRITE_DELAY=0} wrote the store on every commit, under the lock).
 * It keeps the event feed's last position given and the last known to be on disk, which a
 * checkpoint moves: reads of the feed show events up to that one only.
 *
 * <p>The copy ({@link #records}): an embedded database is written by this JVM only (H2 locks its
 * file), and only through the store's commits, which take turns; so a copy in memory, loaded when a
 * store opens and changed by each commit under the lock once the database has committed it, holds
 * exactly what the database holds. Reads come from it: an H2 query costs far more than the
 * in-memory store's read (in the load test's polls with nothing new, H2 running the queries took 63
 * % of the server's CPU samples). The copy indexes the records as it loads them, so the database
 * holds no index entry rows, and commits write none.
 */
final class EmbeddedH2 {
  final ReentrantLock lock = new ReentrantLock();

  /** The records, as the database holds them; replaced (under {@link #lock}) by {@link #load}. */
  private volatile InMemoryStore records = new InMemoryStore();

  /** Commits that ended, numbered in order; guarded by {@link #lock}. */
  private long ended;

  /** The last position of the event feed given; guarded by {@link #lock}. */
  private long lastPosition;

  /** The last position of the event feed known to be on disk. */
  private volatile long durablePosition;

  /** The last commit a finished checkpoint covered; guarded by {@code this}. */
  private long durable;

  /** Whether a checkpoint is running; guarded by {@code this}. */
  private boolean checkpointing;

  InMemoryStore records() {
    return records;
  }

  /**
   * Reads every record of the database into a new copy, which then replaces the old one: the
   * database may have been written before this JVM opened it, or cleared since. The records are
   * decoded by a codec of the load's own, so that its cache of decoded bodies (for reads, which the
   * copy serves) goes with it.
   */
  void load(DataSource dataSource) throws SQLException {
    RecordCodec codec = new RecordCodec();
    lock.lock();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT body FROM updraft_record WHERE record_type = ?")) {
      try (Statement statement = connection.createStatement()) {
        // entry rows an earlier version wrote: commits here keep none, so they would go stale
        statement.execute("TRUNCATE TABLE updraft_index_entry");
      }
      List<InMemoryStore.Held<?>> loaded = new ArrayList<>();
      for (RecordType<?> type : RecordType.ALL) { // devices first: their targets share their ids
        select.setString(1, type.name());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            loaded.add(held(type, codec.decode(type, rows.getString(1))));
          }
        }
      }
      records = InMemoryStore.holding(loaded);
      try (Statement statement = connection.createStatement();
          ResultSet head =
              statement.executeQuery(
                  "SELECT GREATEST(h.last_position, COALESCE(MAX(e.position), 0))"
                      + " FROM updraft_event_head h LEFT JOIN updraft_event e ON TRUE"
                      + " WHERE h.id = 1 GROUP BY h.last_position")) {
        head.next();
        lastPosition = head.getLong(1);
        durablePosition = lastPosition;
      }
    } finally {
      lock.unlock();
    }
  }

  private static <R extends StoredRecord> InMemoryStore.Held<R> held(
      RecordType<R> type, StoredRecord record) {
    return new InMemoryStore.Held<>(type, type.cast(record));
  }

  /**
   * Numbers a commit that just ended, which appended {@code events}; call holding {@link #lock}.
   */
  long ended(int events) {
    lastPosition += events;
    return ++ended;
  }

  /** {@return the last position of the event feed given} Call holding {@link #lock}. */
  long lastPosition() {
    return lastPosition;
  }

  /** {@return the last position of the event feed known to be on disk} */
  long durablePosition() {
    return durablePosition;
  }

  /**
   * Returns once commit {@code number} is on disk. A waiter whose commit the running checkpoint
   * does not cover runs the next one when it ends; the checkpoint runs outside this object's
   * monitor, so the waiters it covers return as soon as it ends.
   */
  void awaitDurable(long number, DataSource dataSource) throws SQLException {
    synchronized (this) {
      while (durable < number && checkpointing) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for the checkpoint", e);
        }
      }
      if (durable >= number) {
        return;
      }
      checkpointing = true;
    }
    long covered = 0; // stays 0 when the checkpoint fails: nothing more is known to be on disk
    try {
      long upTo;
      long positions;
      lock.lock();
      try {
        upTo = ended;
        positions = lastPosition;
      } finally {
        lock.unlock();
      }
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT SYNC");
      }
      covered = upTo;
      durablePosition = Math.max(durablePosition, positions);
    } finally {
      synchronized (this) {
        durable = Math.max(durable, covered);
        checkpointing = false;
        notifyAll();
      }
    }
  }
}
