package dev.updraft.jdbc;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CommitOutcomeUnknownException;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.StoreException;
import dev.updraft.spi.StoreUnavailableException;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UpdraftStore} over JDBC, on H2 or PostgreSQL, over a {@link DataSource} the host
 * configures (a pool such as HikariCP). Opening it applies the schema's migrations (Flyway).
 *
 * <p>Records are rows of {@code updraft_record} (type, key, version, JSON body); index entries are
 * rows of {@code updraft_index_entry} whose primary key {@code (index, partition, sort key, record
 * key)} makes every scan a range read with keyset paging. A {@link #commit} is one transaction. On
 * embedded H2 the database holds the records only: reads come from a copy in memory, indexed there
 * (see {@link EmbeddedH2}).
 *
 * <p>Isolation is READ COMMITTED, deliberately: every write names the version it expects ({@code
 * UPDATE … WHERE version = ?}; zero rows is a conflict), an insert relies on the primary key (a
 * duplicate is a conflict), and a check locks the row it checks ({@code SELECT … FOR UPDATE}) until
 * the commit, so the version checks alone make concurrent commits safe without the aborts and
 * retries that SERIALIZABLE would add to every contended poll. A deadlock or serialization failure
 * the database reports is a conflict too: the engine retries it.
 */
public final class JdbcStore implements UpdraftStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final int BATCH = 1_000;

  /** Each embedded H2 database open in this JVM, by URL (see {@link EmbeddedH2}). */
  private static final Map<String, EmbeddedH2> H2 = new ConcurrentHashMap<>();

  private final DataSource dataSource;
  private final RecordCodec codec = new RecordCodec();
  private final Optional<EmbeddedH2> h2;

  /**
   * {@return the JDBC URL of an embedded H2 database in {@code directory} for this store} A commit
   * is on disk when it returns, by group commit (see {@link EmbeddedH2}): with H2's write delay
   * alone, the durability test lost the last 36 of 300 acknowledged commits when the JVM was
   * killed. Its page cache is 128 MiB (H2's default of 16 MiB made the server's polls read pages
   * from the file). It keeps 64 parsed statements (the default 8 made it parse the store's SQL
   * again on most calls), and its pages split at 16 KiB instead of 4 KiB: fewer pages to write per
   * checkpoint (the load test's rollout took 27 s instead of over 30 s).
   *
   * @param directory the directory the database files go in
   */
  public static String embeddedH2Url(java.nio.file.Path directory) {
    return "jdbc:h2:file:"
        + directory.resolve("updraft").toAbsolutePath()
        + ";CACHE_SIZE=131072;QUERY_CACHE_SIZE=64;PAGE_SIZE=16384";
  }

  /**
   * A store over {@code dataSource}, migrating its schema first.
   *
   * @param dataSource the host's pool of connections to the database
   * @throws StoreUnavailableException when the database cannot be reached
   * @throws JdbcStoreException.SchemaTooNew when the schema is newer than this code knows
   */
  public JdbcStore(DataSource dataSource) {
    this.dataSource = dataSource;
    String product;
    String url;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName();
      url = connection.getMetaData().getURL();
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot reach the database: " + e.getMessage(), e);
    }
    if (product.equals("H2") && !isEmbedded(url)) {
      throw new JdbcStoreException(
          "H2 at "
              + url
              + " is open to other processes: this store supports H2 embedded only (one process"
              + " writes it, through this store); for several, use PostgreSQL",
          null);
    }
    this.h2 =
        product.equals("H2")
            ? Optional.of(H2.computeIfAbsent(url, u -> new EmbeddedH2()))
            : Optional.empty();
    migrate(product);
    if (h2.isPresent()) {
      try {
        h2.get().load(dataSource);
      } catch (SQLException e) {
        throw failure("load the records", e);
      }
    }
  }

  /**
   * Whether an H2 URL is embedded, not through H2's server. (A database opened with {@code
   * AUTO_SERVER=TRUE} is not told apart: H2 does not report it.)
   */
  private static boolean isEmbedded(String url) {
    return !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
  }

  private void migrate(String product) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/updraft")
            .table("updraft_schema_history")
            .placeholders(Map.of("collate", product.equals("PostgreSQL") ? "COLLATE \"C\"" : ""))
            .load();
    MigrationInfo[] applied = flyway.info().applied();
    for (MigrationInfo migration : applied) {
      if (migration.getState() == MigrationState.FUTURE_SUCCESS
          || migration.getState() == MigrationState.FUTURE_FAILED) {
        throw new JdbcStoreException.SchemaTooNew(
            "the database's schema has migration "
                + migration.getVersion()
                + " ("
                + migration.getDescription()
                + "), newer than this Updraft knows; upgrade Updraft");
      }
    }
    flyway.migrate();
    LOG.info("updraft schema ready on {}", product);
  }

  /**
   * @param type the record type
   * @param key the record's key
   */
  @Override
  public <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key) {
    if (h2.isPresent()) {
      return h2.get().records().get(type, key);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT body FROM updraft_record WHERE record_type = ? AND record_key = ?")) {
      select.setString(1, type.name());
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(codec.decode(type, rows.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("get " + type + " " + key, e);
    }
  }

  /**
   * @param index the index
   * @param partition the partition of the index
   * @param after the cursor of the last record of the previous page, absent for the first
   * @param limit the most records to read
   */
  @Override
  public <R extends StoredRecord> Page<R> scan(
      Index<R> index, String partition, Optional<String> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (h2.isPresent()) {
      return h2.get().records().scan(index, partition, after, limit);
    }
    // The page of entries first (an index range, LIMIT applied), then each record by primary key:
    // at most limit + 1 lookups whatever the size of the partition.
    String sql =
        "SELECT e.sort_key, e.record_key, r.body FROM"
            + " (SELECT sort_key, record_key FROM updraft_index_entry"
            + " WHERE index_name = ? AND partition_key = ?"
            + (after.isPresent() ? " AND (sort_key, record_key) > (?, ?)" : "")
            + " ORDER BY sort_key, record_key LIMIT ?) e"
            + " JOIN updraft_record r ON r.record_type = ? AND r.record_key = e.record_key"
            + " ORDER BY e.sort_key, e.record_key";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int p = 1;
      select.setString(p++, index.name());
      select.setString(p++, partition);
      if (after.isPresent()) {
        Cursor cursor = Cursor.decode(after.get());
        select.setString(p++, cursor.sortKey());
        select.setString(p++, cursor.recordKey());
      }
      select.setInt(p++, limit + 1);
      select.setString(p, index.type().name());
      List<R> items = new ArrayList<>();
      Cursor last = null;
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (items.size() == limit) {
            return new Page<>(items, Optional.of(last.encode()));
          }
          items.add(codec.decode(index.type(), rows.getString(3)));
          last = new Cursor(rows.getString(1), rows.getString(2));
        }
      }
      return new Page<>(items, Optional.empty());
    } catch (SQLException e) {
      throw failure("scan " + index + " " + partition, e);
    }
  }

  /**
   * @param changeSet the change set
   */
  @Override
  public void commit(ChangeSet changeSet) {
    List<ChangeSet.Change> changes = new ArrayList<>(changeSet.changes());
    // One order for every transaction's row locks: fewer deadlocks between concurrent commits.
    changes.sort(
        Comparator.comparing((ChangeSet.Change c) -> c.type().name())
            .thenComparing(c -> c.record().key()));
    long ended = 0;
    h2.ifPresent(h -> h.lock.lock());
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        apply(connection, changes);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
      try {
        connection.commit();
      } catch (SQLException e) {
        if (isConnectionFailure(e)) {
          throw new CommitOutcomeUnknownException(
              "commit: the connection broke while committing: " + e.getMessage(), e);
        }
        connection.rollback();
        throw e;
      }
      if (h2.isPresent()) {
        h2.get().records().commit(changeSet); // checked against it by apply: it cannot conflict
        ended = h2.get().ended();
      }
    } catch (SQLException e) {
      throw failure("commit", e);
    } finally {
      h2.ifPresent(h -> h.lock.unlock());
    }
    if (h2.isPresent()) {
      try {
        h2.get().awaitDurable(ended, dataSource);
      } catch (SQLException e) {
        throw new CommitOutcomeUnknownException(
            "commit: applied, but not known to be on disk: " + e.getMessage(), e);
      }
    }
  }

  private void apply(Connection connection, List<ChangeSet.Change> changes) throws SQLException {
    List<ChangeSet.Change> inserts = new ArrayList<>();
    for (ChangeSet.Change change : changes) {
      switch (change.kind()) {
        case INSERT -> inserts.add(change);
        case UPDATE -> update(connection, change);
        case DELETE -> delete(connection, change);
        case CHECK -> expected(connection, change);
      }
    }
    insert(connection, inserts);
  }

  private void insert(Connection connection, List<ChangeSet.Change> inserts) throws SQLException {
    if (inserts.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO updraft_record (record_type, record_key, version, body) VALUES (?, ?, ?, ?)")) {
      executeInBatches(
          insert,
          inserts,
          (statement, change) -> {
            statement.setString(1, change.type().name());
            statement.setString(2, change.record().key());
            statement.setLong(3, change.record().version());
            statement.setString(4, codec.encode(change.record()));
          });
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        ChangeSet.Change first = inserts.get(0);
        throw new StoreConflictException(
            first.type(),
            inserts.size() == 1
                ? first.record().key()
                : first.record().key() + " (or another of " + inserts.size() + " inserts)",
            "exists");
      }
      throw e;
    }
    List<List<String>> entries = new ArrayList<>();
    for (ChangeSet.Change change : inserts) {
      entries.addAll(entriesOf(change.type(), change.record()));
    }
    insertEntries(connection, entries);
  }

  private void update(Connection connection, ChangeSet.Change change) throws SQLException {
    StoredRecord previous = expected(connection, change);
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE updraft_record SET version = ?, body = ?"
                + " WHERE record_type = ? AND record_key = ? AND version = ?")) {
      update.setLong(1, change.record().version());
      update.setString(2, codec.encode(change.record()));
      update.setString(3, change.type().name());
      update.setString(4, change.record().key());
      update.setLong(5, change.expectedVersion());
      if (update.executeUpdate() == 0) {
        throw conflict(change);
      }
    }
    replaceEntries(
        connection, entriesOf(change.type(), previous), entriesOf(change.type(), change.record()));
  }

  private void delete(Connection connection, ChangeSet.Change change) throws SQLException {
    StoredRecord previous = expected(connection, change);
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM updraft_record WHERE record_type = ? AND record_key = ? AND version = ?")) {
      delete.setString(1, change.type().name());
      delete.setString(2, change.record().key());
      delete.setLong(3, change.expectedVersion());
      if (delete.executeUpdate() == 0) {
        throw conflict(change);
      }
    }
    replaceEntries(connection, entriesOf(change.type(), previous), List.of());
  }

  /**
   * The record's stored state, checked to be at the version the change expects. On embedded H2 it
   * is the copy's: commits take turns, so no other writer can change the record before this one
   * commits. Elsewhere the row is read locked until the transaction ends ({@code SELECT … FOR
   * UPDATE}): locking first, then comparing, is what makes the version check hold on every
   * database; a conditional {@code UPDATE … WHERE version = ?} alone lost updates on H2, whose
   * waiting writer did not re-read the row after the lock holder committed (the kit's contention
   * test caught two winners of one version).
   */
  private StoredRecord expected(Connection connection, ChangeSet.Change change)
      throws SQLException {
    StoredRecord stored =
        h2.isPresent()
            ? h2.get().records().get(change.type(), change.record().key()).orElse(null)
            : locked(connection, change.type(), change.record().key());
    if (stored == null || stored.version() != change.expectedVersion()) {
      throw conflict(change);
    }
    return stored;
  }

  private StoredRecord locked(Connection connection, RecordType<?> type, String key)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT body FROM updraft_record WHERE record_type = ? AND record_key = ? FOR UPDATE")) {
      select.setString(1, type.name());
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? codec.decode(type, rows.getString(1)) : null;
      }
    }
  }

  private StoreConflictException conflict(ChangeSet.Change change) {
    return new StoreConflictException(
        change.type(),
        change.record().key(),
        "is missing or not at version " + change.expectedVersion());
  }

  /**
   * The index entry rows {@code record} has: {@code [index name, partition, sort key, record key]}.
   * None on embedded H2: its reads come from the copy, which indexes the records itself when it
   * loads them, so entry rows would be written by every commit and never read (in the load test's
   * rollout they were most of a commit's rows).
   *
   * @param type the record type
   * @param record the record
   */
  private List<List<String>> entriesOf(RecordType<?> type, StoredRecord record) {
    if (h2.isPresent()) {
      return List.of();
    }
    List<List<String>> entries = new ArrayList<>();
    for (Index<?> index : Index.ALL) {
      if (index.type().equals(type)) {
        addEntries(index, record, entries);
      }
    }
    return entries;
  }

  private static <R extends StoredRecord> void addEntries(
      Index<R> index, StoredRecord stored, List<List<String>> entries) {
    R record = index.type().cast(stored);
    String sortKey = index.sortKeyOf(record);
    for (String partition : index.partitionsOf(record)) {
      entries.add(List.of(index.name(), partition, sortKey, record.key()));
    }
  }

  /**
   * Moves a record's index entries from {@code before} (those of its stored state) to {@code after}
   * (those of its new state; none when it goes): only the entries that differ are deleted and
   * inserted, so an update that leaves a record in place in its indexes (most do: a status or a
   * count changes) writes no entry row.
   *
   * @param after the cursor of the last record of the previous page, absent for the first
   */
  private static void replaceEntries(
      Connection connection, List<List<String>> before, List<List<String>> after)
      throws SQLException {
    List<List<String>> gone = new ArrayList<>(before);
    gone.removeAll(after);
    List<List<String>> added = new ArrayList<>(after);
    added.removeAll(before);
    changeEntries(
        connection,
        "DELETE FROM updraft_index_entry"
            + " WHERE index_name = ? AND partition_key = ? AND sort_key = ? AND record_key = ?",
        gone);
    insertEntries(connection, added);
  }

  private static void insertEntries(Connection connection, List<List<String>> entries)
      throws SQLException {
    changeEntries(
        connection,
        "INSERT INTO updraft_index_entry (index_name, partition_key, sort_key, record_key)"
            + " VALUES (?, ?, ?, ?)",
        entries);
  }

  /** Runs {@code sql}, whose parameters are an entry's four columns, for each entry. */
  private static void changeEntries(Connection connection, String sql, List<List<String>> entries)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      executeInBatches(
          statement,
          entries,
          (bound, entry) -> {
            for (int i = 0; i < 4; i++) {
              bound.setString(i + 1, entry.get(i));
            }
          });
    }
  }

  /** Binds one row of a batch. */
  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement statement, T row) throws SQLException;
  }

  /** Executes {@code statement} for every row, in JDBC batches of {@value #BATCH}. */
  private static <T> void executeInBatches(
      PreparedStatement statement, List<T> rows, Binder<T> binder) throws SQLException {
    int batched = 0;
    for (T row : rows) {
      binder.bind(statement, row);
      statement.addBatch();
      if (++batched % BATCH == 0) {
        statement.executeBatch();
      }
    }
    statement.executeBatch();
  }

  /** Whether {@code e} says the database cannot be reached or the connection broke. */
  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P03");
  }

  private static boolean isDuplicate(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if ("23505".equals(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Maps a database failure to the store's exceptions (a conflict, for the engine to retry). */
  private static StoreException failure(String operation, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
      return new StoreConflictException(
          RecordType.COUNTER, "transaction", operation + ": " + e.getMessage());
    }
    if (isConnectionFailure(e)) {
      return new StoreUnavailableException(
          operation + ": database unavailable: " + e.getMessage(), e);
    }
    if (state.startsWith("23") || state.startsWith("22")) {
      return new JdbcStoreException.ConstraintViolation(operation + ": " + e.getMessage(), e);
    }
    return new JdbcStoreException(operation + ": " + e.getMessage(), e);
  }
}
