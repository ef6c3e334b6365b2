package dev.updraft.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * How commits to one embedded H2 database take turns and reach the disk.
 *
 * <p>They take turns (one {@link #lock}): under concurrent writers H2's MVStore let a writer that
 * waited for a row lock go on with the row as it was before the holder committed (the kit caught
 * two winners of one version and duplicate index entries).
 *
 * <p>They reach the disk by group commit: a transaction commits in memory, then {@link
 * #awaitDurable} returns once a {@code CHECKPOINT SYNC} (which writes and syncs everything
 * committed so far) has started after it and ended. One checkpoint runs at a time, and it covers
 * every commit that ended before it started, so concurrent commits share one disk write and sync
 * instead of one each (H2's {@code WRITE_DELAY=0} wrote the store on every commit, under the lock).
 */
final class H2Commits {
  final ReentrantLock lock = new ReentrantLock();

  /** Commits that ended, numbered in order; guarded by {@link #lock}. */
  private long ended;

  /** The last commit a finished checkpoint covered; guarded by {@code this}. */
  private long durable;

  /** Whether a checkpoint is running; guarded by {@code this}. */
  private boolean checkpointing;

  /** Numbers a commit that just ended; call holding {@link #lock}. */
  long ended() {
    return ++ended;
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
      lock.lock();
      try {
        upTo = ended;
      } finally {
        lock.unlock();
      }
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT SYNC");
      }
      covered = upTo;
    } finally {
      synchronized (this) {
        durable = Math.max(durable, covered);
        checkpointing = false;
        notifyAll();
      }
    }
  }
}
