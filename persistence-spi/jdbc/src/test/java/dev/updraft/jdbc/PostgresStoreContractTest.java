package dev.updraft.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * The whole kit on PostgreSQL (the one {@code scripts/test.sh} starts, or UPDRAFT_POSTGRES_URL).
 */
@Tag("postgres")
class PostgresStoreContractTest extends JdbcContractTest {
  @Override
  String url() {
    return Databases.postgresUrl();
  }
}
