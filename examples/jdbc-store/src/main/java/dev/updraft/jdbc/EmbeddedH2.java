package dev.updraft.jdbc;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.memory.InMemoryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One embedded H2 database open in this JVM: the copy of its records that reads are served from,
 * and how commits reach the copy, the disk and the database.
 *
 * <p>The copy ({@link #records}): an embedded database is written by this JVM only (H2 locks its
 * file), and only through the store's commits; so a copy in memory, loaded when a store opens and
 * changed by each commit, holds what the database holds once the commits under way are written.
 * Reads come from it: an H2 query costs far more than the in-memory store's read (in the load
 * test's polls with nothing new, H2 running the queries took 63 % of the server's CPU samples).
 *
 * <p>A commit ({@link #append}), under one short lock: its changes are checked against the copy,
 * appended, numbered, to the {@link CommitLog} (a file beside the database), applied to the copy
 * and queued for the database. Then ({@link #awaitDurable}) one committer at a time flushes: it
 * writes every queued commit to the database in one transaction, which also writes the last one's
 * number to {@code updraft_commit_log_position}, then forces the log to disk; the commits it
 * covered return. So concurrent commits share one transaction and one forced write, and none waits
 * for the database's own checkpoint: H2 writes its pages at its own pace. When the log is long, a
 * flush checkpoints the database ({@code CHECKPOINT SYNC}, appends held back) and empties the log.
 * When a store opens, the logged commits after the last one the database holds are written again,
 * in order, and the log is emptied the same way.
 *
 * <p>Before, each commit ran its own transaction under a lock and waited for a checkpoint of the
 * database: in the load test's rollout a status report waited about 20 ms, two checkpoints of 5 to
 * 7 ms and the turns of the other commits, and with a commit log forced per group but a transaction
 * per commit under the lock, the turns alone took 5 to 7 ms.
 */
final class EmbeddedH2 {
  /** The log's size past which a flush checkpoints the database and empties the log. */
  private static final long LONGEST_LOG = 64L << 20;

  /**
   * A commit checked and logged, for the database: {@code previous} holds, for each of its changes
   * in order, the record's state before it (null for an insert).
   */
  record Pending(long number, List<ChangeSet.Change> changes, List<StoredRecord> previous) {}

  /**
   * Writes commits to the database in one transaction, with the last one's number as the database's
   * last commit.
   */
  @FunctionalInterface
  interface Writer {
    void write(Connection connection, List<Pending> commits) throws SQLException;
  }

  /** Guards the copy's changes, the log's appends, {@link #ended} and {@link #queue}. */
  private final ReentrantLock lock = new ReentrantLock();

  /** The records, as the database holds them with the queue written; replaced by {@link #open}. */
  private volatile InMemoryStore records = new InMemoryStore();

  /** The commit log; empty for a database in memory, which has no disk to reach. */
  private Optional<CommitLog> log = Optional.empty();

  /** The last commit's number. */
  private long ended;

  /** Commits appended and not yet written to the database, in order. */
  private List<Pending> queue = new ArrayList<>();

  /** The last commit written to the database and on disk; guarded by {@code this}. */
  private long durable;

  /** Whether a flush (or an opening) is under way; guarded by {@code this}. */
  private boolean flushing;

  /**
   * Why a flush failed, if one did: no commit is acknowledged after that until a store opens on the
   * database again; guarded by {@code this}.
   */
  private Exception failure;

  InMemoryStore records() {
    return records;
  }

  /**
   * Makes the database whole and loads the copy, for a store opening on it: writes what is queued,
   * writes again the logged commits after the last one the database holds, checkpoints, and empties
   * the log; the copy is read from the database first (which may have been written before this JVM
   * opened it, or cleared since).
   */
  void open(DataSource dataSource, RecordCodec codec, Writer writer)
      throws SQLException, IOException {
    startFlush();
    lock.lock();
    long covered = 0;
    try (Connection connection = dataSource.getConnection()) {
      writer.write(connection, drain());
      records = load(connection, codec);
      if (log.isEmpty()) {
        String database = database(connection);
        if (database != null) {
          log = Optional.of(CommitLog.open(Path.of(database + ".commits.log")));
        }
      }
      long last = lastCommit(connection);
      List<Pending> replayed = new ArrayList<>();
      List<CommitLog.Entry> logged = log.isPresent() ? log.get().read(codec) : List.of();
      for (CommitLog.Entry entry : logged) {
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
        replayed.add(checked(entry.number(), entry.changes()));
        records.commit(entry.changes());
        last = entry.number();
      }
      writer.write(connection, replayed);
      ended = last;
      checkpoint(connection);
      covered = ended;
      synchronized (this) {
        failure = null;
      }
    } finally {
      lock.unlock();
      endFlush(covered, null);
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
   * Commits {@code changes} to the copy and the log, and queues them for the database; {@link
   * #awaitDurable} with the number returned waits until they are written and on disk.
   *
   * @throws StoreConflictException when a record is not as a change expects; nothing was done
   * @throws IOException when the log cannot be written, or failed before
   */
  long append(ChangeSet changes, RecordCodec codec) throws IOException {
    lock.lock();
    try {
      synchronized (this) {
        if (failure != null) {
          throw new IOException(
              "a commit failed to reach the disk or the database before; open the store again",
              failure);
        }
      }
      Pending pending = checked(ended + 1, changes);
      if (log.isPresent()) {
        try {
          log.get().append(pending.number(), changes, codec);
        } catch (IOException e) {
          fail(e); // the log may end in a partial entry: nothing may follow it
          throw e;
        }
      }
      records.commit(changes); // checked above, under the lock: it cannot conflict
      queue.add(pending);
      ended = pending.number();
      return ended;
    } finally {
      lock.unlock();
    }
  }

  /** Commit {@code number}, its changes checked against the copy; call holding the lock. */
  private Pending checked(long number, ChangeSet changes) {
    List<ChangeSet.Change> list = changes.changes();
    List<StoredRecord> previous = new ArrayList<>(list.size());
    for (ChangeSet.Change change : list) {
      String key = change.record().key();
      StoredRecord stored = records.get(change.type(), key).orElse(null);
      if (change.kind() == ChangeSet.Kind.INSERT) {
        if (stored != null) {
          throw new StoreConflictException(change.type(), key, "exists");
        }
      } else if (stored == null || stored.version() != change.expectedVersion()) {
        throw new StoreConflictException(
            change.type(), key, "is missing or not at version " + change.expectedVersion());
      }
      previous.add(stored);
    }
    return new Pending(number, list, previous);
  }

  /** The queued commits, leaving the queue empty; call holding the lock. */
  private List<Pending> drain() {
    List<Pending> drained = queue;
    queue = new ArrayList<>();
    return drained;
  }

  /**
   * Returns once commit {@code number} is written to the database and on disk. A committer whose
   * commit the flush under way does not cover flushes when it ends; the flush runs outside this
   * object's monitor, so the committers it covers return as soon as it ends.
   *
   * @throws SQLException when the database refused the flush's transaction
   * @throws IOException when the log could not be forced to disk
   */
  void awaitDurable(long number, DataSource dataSource, Writer writer)
      throws SQLException, IOException {
    synchronized (this) {
      while (durable < number && flushing && failure == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the commit to reach the disk", e);
        }
      }
      if (durable >= number) {
        return;
      }
      if (failure != null) {
        throw new IOException("the commit failed to reach the disk or the database", failure);
      }
      flushing = true;
    }
    long covered = 0;
    Exception failed = null;
    try (Connection connection = dataSource.getConnection()) {
      List<Pending> commits;
      long upTo; // every commit up to it is drained now or was written before
      lock.lock();
      try {
        commits = drain();
        upTo = ended;
      } finally {
        lock.unlock();
      }
      writer.write(connection, commits);
      if (log.isPresent()) {
        log.get().force();
      }
      covered = upTo;
      if (log.isPresent() && log.get().size() > LONGEST_LOG) {
        lock.lock();
        try {
          writer.write(connection, drain());
          checkpoint(connection);
          covered = ended;
        } finally {
          lock.unlock();
        }
      }
    } catch (SQLException | IOException | RuntimeException e) {
      failed = e;
      throw e;
    } finally {
      endFlush(covered, failed);
    }
  }

  private synchronized void startFlush() {
    while (flushing) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to open the store", e);
      }
    }
    flushing = true;
  }

  private synchronized void endFlush(long covered, Exception failed) {
    durable = Math.max(durable, covered);
    flushing = false;
    if (failed != null) {
      failure = failed;
    }
    notifyAll();
  }

  /**
   * Puts everything written to the database on disk in it, then empties the log; call holding the
   * lock with the queue written.
   */
  private void checkpoint(Connection connection) throws SQLException, IOException {
    if (log.isEmpty()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT SYNC");
    }
    log.get().clear();
  }

  private synchronized void fail(IOException e) {
    failure = e;
    notifyAll();
  }
}
