package dev.updraft.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.RecordType;

/**
 * The child process of {@link DurabilityTest}: commits pairs of records, one pair per commit, and
 * prints {@code ack N} after commit N returned, until it is killed.
 */
public final class CommitterMain {
  private CommitterMain() {}

  public static void main(String[] args) {
    HikariDataSource pool = Databases.pool(args[0], 2);
    JdbcStore store = new JdbcStore(pool);
    for (long n = 0; ; n++) {
      store.commit(
          ChangeSet.create()
              .insert(RecordType.COUNTER, new CounterRecord("pair-" + n + "-a", 1, n))
              .insert(RecordType.COUNTER, new CounterRecord("pair-" + n + "-b", 1, n)));
      System.out.println("ack " + n);
      System.out.flush();
    }
  }
}
