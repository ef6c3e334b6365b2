package dev.updraft.mender;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The server's own tables beside Updraft's, in the same database: auth sets and the identities that
 * name devices ({@link AuthSets}), and artifact descriptions ({@link ArtifactDescriptions}). Their
 * schema is versioned by Flyway (location {@code db/mender-server}, history table {@code
 * mender_server_schema_history}), apart from Updraft's.
 */
final class ServerTables {
  private ServerTables() {}

  /** Brings the server's tables to the schema this code knows. */
  static void migrate(DataSource db) {
    Flyway.configure()
        .dataSource(db)
        .locations("classpath:db/mender-server")
        .table("mender_server_schema_history")
        .baselineOnMigrate(true) // Updraft's tables are there already
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work}, one statement that only reads, on a connection as the pool gives it
   * (autocommit): no round trips to begin and end a transaction (a device's token is checked so on
   * each of its requests).
   */
  static <T> T read(DataSource db, String what, Work<T> work) {
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException(what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns, rolled back when it throws.
   */
  static <T> T inTransaction(DataSource db, String what, Work<T> work) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(what + ": " + e.getMessage(), e);
    }
  }
}
