package dev.updraft.jdbc;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.memory.InMemoryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One embedded H2 database open in this JVM: how its commits take turns and reach the disk, and the
 * copy of its records that reads are served from.
 *
 * <p>Commits take turns (one {@link #lock}): under concurrent writers H2's MVStore let a writer
 * that waited for a row lock go on with the row as it was before the holder committed (the kit
 * caught two winners of one version and duplicate index entries).
 *
 * <p>They reach the disk through the {@link CommitLog}, a file beside the database: each commit,
 * numbered, writes its number to {@code updraft_commit_log_position} in its transaction and, once
 * the database has committed it, appends its changes to the log; it is durable, and {@link
 * #awaitDurable} returns, once the log is forced to disk after that (group commit: one force covers
 * every entry appended before it started). H2 writes its pages to the file at its own pace. When
 * the log is long, a {@code CHECKPOINT SYNC} under the lock puts everything committed on disk in
 * the database, and the log is emptied. When a store opens, the logged commits after the last one
 * the database holds are committed again, in order, and the log is emptied the same way. Before,
 * each commit waited for a checkpoint of its own: in the load test's rollout a commit waited about
 * 20 ms (two checkpoints of 5 to 7 ms and the turns of the others), against about 0.4 ms to force a
 * 16 KiB write to this machine's disk.
 *
 * <p>The copy ({@link #records}): an embedded database is written by this JVM only (H2 locks its
 * file), and only through the store's commits, which take turns; so a copy in memory, loaded when a
 * store opens and changed by each commit under the lock once the database has committed it, holds
 * exactly what the database holds. Reads come from it: an H2 query costs far more than the
 * in-memory store's read (in the load test's polls with nothing new, H2 running the queries took 63
 * % of the server's CPU samples).
 */
final class EmbeddedH2 {
  /** The log's size past which a commit checkpoints the database and empties it. */
  private static final long LONGEST_LOG = 64L << 20;

  /** Commits a logged change set again to the database, as commit {@code number}. */
  @FunctionalInterface
  interface Replay {
    void commit(ChangeSet changes, long number) throws SQLException;
  }

  final ReentrantLock lock = new ReentrantLock();

  /** The records, as the database holds them; replaced (under {@link #lock}) by {@link #open}. */
  private volatile InMemoryStore records = new InMemoryStore();

  /** The commit log; empty for a database in memory, which has no disk to reach. */
  private Optional<CommitLog> log = Optional.empty();

  /** The last commit's number; written under {@link #lock} once its entry is appended. */
  private volatile long ended;

  /**
   * Why the log failed, if it did: no commit is acknowledged after that; guarded by {@code this}.
   */
  private IOException failure;

  /** The last commit known to be on disk; guarded by {@code this}. */
  private long durable;

  /** Whether a force of the log is under way; guarded by {@code this}. */
  private boolean forcing;

  InMemoryStore records() {
    return records;
  }

  /**
   * Makes the database whole and loads the copy, for a store opening on it: commits again the
   * logged commits after the last one the database holds, checkpoints, and empties the log. Then
   * reads every record into a new copy (the database may have been written before this JVM opened
   * it, or cleared since), which replaces the old one.
   */
  void open(Connection connection, RecordCodec codec, Replay replay)
      throws SQLException, IOException {
    lock.lock();
    try {
      records = load(connection, codec);
      if (log.isEmpty()) {
        String database = database(connection);
        if (database != null) {
          log = Optional.of(CommitLog.open(Path.of(database + ".commits.log")));
        }
      }
      long last = lastCommit(connection);
      if (log.isPresent()) {
        for (CommitLog.Entry entry : log.get().read(codec)) {
          if (entry.number() <= last) {
            continue;
          }
          if (entry.number() != last + 1) {
            throw new IOException(
                log.get().path()
                    + " holds commit "
                    + entry.number()
                    + " next, but the database holds commits up to "
                    + last
                    + " only: the ones between are lost");
          }
          replay.commit(entry.changes(), entry.number());
          records.commit(entry.changes());
          last = entry.number();
        }
      }
      ended = last;
      checkpoint(connection);
    } finally {
      lock.unlock();
    }
  }

  private static String database(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT DATABASE_PATH()")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static long lastCommit(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT last_commit FROM updraft_commit_log_position WHERE id = 1")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static InMemoryStore load(Connection connection, RecordCodec codec) throws SQLException {
    InMemoryStore loaded = new InMemoryStore();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT body FROM updraft_record WHERE record_type = ?")) {
      for (RecordType<?> type : RecordType.ALL) { // devices first: their targets share their ids
        select.setString(1, type.name());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            restore(loaded, type, codec.decode(type, rows.getString(1)));
          }
        }
      }
    }
    return loaded;
  }

  private static <R extends StoredRecord> void restore(
      InMemoryStore store, RecordType<R> type, StoredRecord record) {
    store.restore(type, type.cast(record));
  }

  /**
   * The number of the next commit, which its transaction writes to the position table; call holding
   * {@link #lock}.
   *
   * @throws IOException when the log failed before: nothing more is committed until a store opens
   *     on the database again
   */
  long next() throws IOException {
    synchronized (this) {
      if (failure != null) {
        throw new IOException("the commit log failed before; open the store again", failure);
      }
    }
    return ended + 1;
  }

  /**
   * Records commit {@code number}, which the database has just committed: in the copy, then in the
   * log; checkpoints when the log is long. Call holding {@link #lock}.
   */
  void committed(long number, ChangeSet changes, RecordCodec codec, Connection connection)
      throws SQLException, IOException {
    records.commit(changes); // checked against the copy by the transaction: it cannot conflict
    if (log.isPresent()) {
      try {
        log.get().append(number, changes, codec);
      } catch (IOException e) {
        fail(e);
        throw e;
      }
    }
    ended = number;
    if (log.isPresent() && log.get().size() > LONGEST_LOG) {
      checkpoint(connection);
    }
  }

  /** Puts everything committed on disk in the database, then empties the log; holding the lock. */
  private void checkpoint(Connection connection) throws SQLException, IOException {
    if (log.isEmpty()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT SYNC");
    }
    log.get().clear();
    synchronized (this) {
      durable = Math.max(durable, ended);
      failure = null;
      notifyAll();
    }
  }

  /**
   * Returns once commit {@code number} is on disk. A waiter whose commit the force under way does
   * not cover forces the log itself when that one ends; the force runs outside this object's
   * monitor, so the waiters it covers return as soon as it ends.
   */
  void awaitDurable(long number) throws IOException {
    if (log.isEmpty()) {
      return;
    }
    synchronized (this) {
      while (durable < number && forcing && failure == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the commit log", e);
        }
      }
      if (durable >= number) {
        return;
      }
      if (failure != null) {
        throw new IOException("the commit log failed", failure);
      }
      forcing = true;
    }
    long upTo = ended; // appended before the force starts: it covers them
    long covered = 0; // stays 0 when the force fails: nothing more is known to be on disk
    try {
      log.get().force();
      covered = upTo;
    } catch (IOException e) {
      fail(e);
      throw e;
    } finally {
      synchronized (this) {
        durable = Math.max(durable, covered);
        forcing = false;
        notifyAll();
      }
    }
  }

  private synchronized void fail(IOException e) {
    failure = e;
    notifyAll();
  }
}
