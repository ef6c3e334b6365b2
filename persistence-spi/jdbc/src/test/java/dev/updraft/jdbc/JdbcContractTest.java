package dev.updraft.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.UpdraftStore;
import dev.updraft.tck.StoreContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The kit over a JDBC database: one main pool whose data each new store clears, and, for reopen and
 * for a second server node, further pools over the same database, closed after each test.
 */
abstract class JdbcContractTest extends StoreContractTest {
  private HikariDataSource main;
  private HikariDataSource second;
  private final List<HikariDataSource> extra = new ArrayList<>();

  /** The JDBC URL of this test's database. */
  abstract String url();

  @Override
  protected UpdraftStore newStore() {
    if (main == null) {
      main = Databases.pool(url(), threads() + 4);
    }
    Databases.clear(main);
    return new JdbcStore(main);
  }

  @Override
  protected Optional<UpdraftStore> reopen(UpdraftStore store) {
    return Optional.of(new JdbcStore(extraPool()));
  }

  /** The second node's pool is opened once per test and sees whatever the main pool wrote. */
  @Override
  protected Optional<UpdraftStore> anotherNode(UpdraftStore store) {
    if (second == null) {
      second = extraPool();
    }
    return Optional.of(new JdbcStore(second));
  }

  private HikariDataSource extraPool() {
    HikariDataSource pool = Databases.pool(url(), threads() + 4);
    extra.add(pool);
    return pool;
  }

  @AfterEach
  void closePools() {
    extra.forEach(HikariDataSource::close);
    extra.clear();
    second = null;
    if (main != null) {
      main.close();
      main = null;
    }
  }
}
