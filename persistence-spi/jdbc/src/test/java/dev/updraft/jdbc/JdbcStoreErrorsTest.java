package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.CommitOutcomeUnknownException;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each failure the store can meet has its own named exception under the SPI's {@link
 * dev.updraft.spi.StoreException}, with the cause.
 */
class JdbcStoreErrorsTest {
  @TempDir Path directory;

  @Test
  @DisplayName(
      "a database that cannot be reached is the SPI's StoreUnavailableException, with the driver's error")
  void databaseDown_isStoreUnavailable() {
    HikariConfig lazy = new HikariConfig();
    lazy.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1");
    lazy.setInitializationFailTimeout(-1); // a pool that starts while its database is down
    lazy.setConnectionTimeout(1_000);
    try (HikariDataSource pool = new HikariDataSource(lazy)) {
      assertThatThrownBy(() -> new JdbcStore(pool))
          .isInstanceOf(dev.updraft.spi.StoreUnavailableException.class)
          .hasCauseInstanceOf(SQLException.class);
    }
  }

  @Test
  @DisplayName("a schema migrated by a newer Updraft is SchemaTooNew, and nothing is changed")
  void newerSchema_isSchemaTooNew() throws Exception {
    String url = JdbcStore.embeddedH2Url(directory);
    try (HikariDataSource pool = Databases.pool(url, 2)) {
      new JdbcStore(pool)
          .commit(ChangeSet.create().insert(RecordType.COUNTER, new CounterRecord("kept", 1, 1)));
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "INSERT INTO \"updraft_schema_history\" (\"installed_rank\", \"version\", \"description\","
                + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                + " VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'test', 0, TRUE)");
      }
      assertThatThrownBy(() -> new JdbcStore(pool))
          .isInstanceOf(JdbcStoreException.SchemaTooNew.class)
          .hasMessageContaining("99");
    }
  }

  @Test
  @DisplayName("H2 through its TCP server, open to other processes, is refused, naming the URL")
  void h2OverTcp_isRefused() throws Exception {
    Server server =
        Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", directory.toString())
            .start();
    try (HikariDataSource pool =
        Databases.pool("jdbc:h2:tcp://localhost:" + server.getPort() + "/updraft", 2)) {
      assertThatThrownBy(() -> new JdbcStore(pool))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessageContaining("jdbc:h2:tcp://localhost:" + server.getPort())
          .hasMessageContaining("H2 embedded only");
    } finally {
      server.stop();
    }
  }

  @Test
  @DisplayName(
      "a key over the column's limit is a ConstraintViolation, not a conflict, and nothing is written")
  void oversizedKey_isConstraintViolation() {
    try (HikariDataSource pool = Databases.pool(JdbcStore.embeddedH2Url(directory), 2)) {
      JdbcStore store = new JdbcStore(pool);
      String huge = "k".repeat(2_000);
      assertThatThrownBy(
              () ->
                  store.commit(
                      ChangeSet.create()
                          .insert(RecordType.COUNTER, new CounterRecord("fine", 1, 1))
                          .insert(RecordType.CLAIM, new ClaimRecord(huge, 1, "x"))))
          .isInstanceOf(JdbcStoreException.ConstraintViolation.class)
          .hasCauseInstanceOf(SQLException.class);
      assertThat(store.get(RecordType.COUNTER, "fine")).isEmpty();
    }
  }

  /**
   * {@code pool}, whose connections throw {@code failure} when asked to commit once {@code broken}
   * is set, or, on PostgreSQL, to run the commit function: a connection that breaks while the
   * database commits.
   */
  private static DataSource breakingCommits(
      DataSource pool, AtomicBoolean broken, SQLException failure) {
    InvocationHandler dataSource =
        (proxy, method, args) -> {
          Object result = invoke(pool, method, args);
          if (!(result instanceof Connection connection)) {
            return result;
          }
          return Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (connectionProxy, call, callArgs) -> {
                if (call.getName().equals("commit") && broken.get()) {
                  throw failure;
                }
                Object made = invoke(connection, call, callArgs);
                if (made instanceof PreparedStatement statement
                    && String.valueOf(callArgs[0]).contains("updraft_commit")) {
                  return Proxy.newProxyInstance(
                      PreparedStatement.class.getClassLoader(),
                      new Class<?>[] {PreparedStatement.class},
                      (statementProxy, run, runArgs) -> {
                        if (run.getName().equals("execute") && broken.get()) {
                          throw failure;
                        }
                        return invoke(statement, run, runArgs);
                      });
                }
                return made;
              });
        };
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, dataSource);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  @DisplayName(
      "a connection that breaks during COMMIT is CommitOutcomeUnknownException: not a conflict, not unavailable")
  void brokenCommit_isOutcomeUnknown() {
    assertBrokenCommitIsOutcomeUnknown(JdbcStore.embeddedH2Url(directory));
  }

  @Test
  @DisplayName(
      "on PostgreSQL, a connection that breaks during the commit's one call is"
          + " CommitOutcomeUnknownException")
  void brokenCommitCall_isOutcomeUnknown_onPostgres() {
    assertBrokenCommitIsOutcomeUnknown(Databases.postgresUrl());
  }

  @Test
  @DisplayName("a COMMIT refused for another reason is rolled back and reported as such")
  void refusedCommit_isNotOutcomeUnknown() {
    try (HikariDataSource pool = Databases.pool(JdbcStore.embeddedH2Url(directory), 2)) {
      AtomicBoolean broken = new AtomicBoolean();
      JdbcStore store =
          new JdbcStore(breakingCommits(pool, broken, new SQLException("refused", "40001")));
      broken.set(true);

      assertThatThrownBy(
              () ->
                  store.commit(
                      ChangeSet.create()
                          .insert(RecordType.COUNTER, new CounterRecord("during", 1, 1))))
          .isInstanceOf(StoreConflictException.class);
      assertThat(store.get(RecordType.COUNTER, "during")).isEmpty();
    }
  }

  /**
   * On the database at {@code url}: a connection that breaks while the store commits makes the
   * commit CommitOutcomeUnknownException, and what was committed before stays.
   */
  private static void assertBrokenCommitIsOutcomeUnknown(String url) {
    try (HikariDataSource pool = Databases.pool(url, 2)) {
      Databases.clear(pool);
      AtomicBoolean broken = new AtomicBoolean();
      JdbcStore store =
          new JdbcStore(
              breakingCommits(pool, broken, new SQLException("connection reset", "08006")));
      store.commit(
          ChangeSet.create().insert(RecordType.COUNTER, new CounterRecord("before", 1, 1)));
      broken.set(true);

      assertThatThrownBy(
              () ->
                  store.commit(
                      ChangeSet.create()
                          .insert(RecordType.COUNTER, new CounterRecord("during", 1, 1))))
          .isInstanceOf(CommitOutcomeUnknownException.class)
          .hasCauseInstanceOf(SQLException.class);
      assertThat(store.get(RecordType.COUNTER, "before")).isPresent();
    }
  }
}
