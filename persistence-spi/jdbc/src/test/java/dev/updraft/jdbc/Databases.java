package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/** Where the tests' databases come from: a temporary H2 file, or the PostgreSQL CI started. */
final class Databases {
  /** System property (set from {@code UPDRAFT_POSTGRES_URL} by the build) naming the database. */
  static final String POSTGRES_URL = "updraft.postgres.url";

  /**
   * System property (from {@code UPDRAFT_POSTGRES_REQUIRED}): when {@code true}, no URL is a
   * failure.
   */
  static final String POSTGRES_REQUIRED = "updraft.postgres.required";

  private Databases() {}

  /**
   * The PostgreSQL URL the build was given. Without one, the calling test is skipped, unless the
   * build said PostgreSQL is required (as {@code scripts/test.sh} and CI do): then it fails.
   */
  static String postgresUrl() {
    Optional<String> url =
        Optional.ofNullable(System.getProperty(POSTGRES_URL)).filter(u -> u.startsWith("jdbc:"));
    if (url.isEmpty()) {
      if (Boolean.parseBoolean(System.getProperty(POSTGRES_REQUIRED))) {
        fail(
            "PostgreSQL is required ("
                + POSTGRES_REQUIRED
                + "=true) but "
                + POSTGRES_URL
                + " is not set");
      }
      Assumptions.abort("no PostgreSQL: set UPDRAFT_POSTGRES_URL, or run scripts/test.sh");
    }
    return url.get();
  }

  /** A pool over {@code url}, as a host would configure it. */
  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** Empties Updraft's tables, if they exist yet. */
  static void clear(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      if (connection.getMetaData().getTables(null, null, "%updraft_record%", null).next()
          || connection.getMetaData().getTables(null, null, "%UPDRAFT_RECORD%", null).next()) {
        statement.execute("DELETE FROM updraft_index_entry");
        statement.execute("DELETE FROM updraft_record");
      }
      if (connection.getMetaData().getTables(null, null, "updraft_event_head", null).next()
          || connection.getMetaData().getTables(null, null, "UPDRAFT_EVENT_HEAD", null).next()) {
        statement.execute("DELETE FROM updraft_event");
        statement.execute("UPDATE updraft_event_head SET last_position = 0");
      }
      if (connection.getMetaData().getTables(null, null, "updraft_event_pending", null).next()) {
        statement.execute("DELETE FROM updraft_event_pending");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot clear the test database", e);
    }
  }
}
