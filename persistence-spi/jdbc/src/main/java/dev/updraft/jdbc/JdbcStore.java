package dev.updraft.jdbc;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CommitOutcomeUnknownException;
import dev.updraft.spi.Cursor;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.EventRecord;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>Records are rows of {@code updraft_record} (type, key, version, JSON body). On embedded H2 the
 * database holds the records only: reads come from a copy in memory, indexed there, and commits
 * take turns (see {@link EmbeddedH2}).
 *
 * <h2>On PostgreSQL, shared by several nodes</h2>
 *
 * Index entries are rows of {@code updraft_index_entry} whose primary key {@code (index, partition,
 * sort key, record key)} makes every scan a range read with keyset paging; a read is one round
 * trip. A commit is one round trip too: one call of the function {@code updraft_commit} (migration
 * V3), in its own transaction, with the changes as arrays and the index entries to remove and add
 * computed here (an update names the record it replaces, so its old entries need no read). Before
 * it, a commit locked and read each record it updated or checked, then wrote it and its entries,
 * then committed: a device's start (its record inserted, its deployment's stripe updated, the
 * deployment checked) took six round trips, and the check locked the deployment's row until the
 * commit ({@code FOR UPDATE}), so every start of one deployment queued on it.
 *
 * <p>Measured with the load test on a 2-core machine that runs the database, the server and the
 * load generator together (README, "Benchmarks"): a rollout of one deployment to 10,000 devices
 * went from 41 to 267 polls/s and from 1,255 to 8,019 devices through in 30 s, as fast as the same
 * wave spread over 100 deployments (297 polls/s, 8,942 devices); polls with nothing new went from
 * 4,247 to 5,363/s. The database rolled back 127 of 1.3 million transactions in a run; what bounds
 * the rollout now is processor time (1.9 ms a request on those two cores), half of it the
 * database's.
 *
 * <p>Isolation is READ COMMITTED, deliberately: an update or delete names the version it expects
 * ({@code … WHERE version = ?}; PostgreSQL re-evaluates that against a row a concurrent commit
 * changed, so zero rows is a conflict), an insert relies on the primary key, and a check locks the
 * row it checks in share mode until the commit: commits checking one deployment do not wait for
 * each other, and one that changes it waits for them (and then fails its own check of a stripe they
 * changed). So the version checks alone make concurrent commits safe, without the aborts that
 * SERIALIZABLE would add to every contended poll. A deadlock or serialization failure the database
 * reports is a conflict too: the engine retries it.
 *
 * <h2>The event feed</h2>
 *
 * A commit's events are rows of {@code updraft_event} (migration V4), inserted in the commit's
 * transaction, so one is never kept without the other. On embedded H2 the commit, taking its turn,
 * gives them their positions, and a read shows only positions known to be on disk (a position a
 * reader saw is never given again after a crash). On PostgreSQL, {@code updraft_commit} inserts
 * them unnumbered into a table without an index, still one round trip; a read (or a trim) first
 * numbers the committed ones in insertion order under a lock on the feed's head row, which readers
 * take in turn (migration V5): commits never wait for each other on the feed, and positions are
 * given without a gap, also with several nodes. Insertion order follows the order of dependent
 * commits, since a commit reads what it depends on before it inserts.
 */
public final class JdbcStore implements UpdraftStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final int BATCH = 1_000;

  /** The most events one read numbers on PostgreSQL (see {@link #events}). */
  private static final int NUMBERED_AT_ONCE = 10_000;

  /** The most changes one call of {@code updraft_commit} takes. */
  private static final int CHUNK = 5_000;

  /** The SQLSTATE {@code updraft_commit} raises a failed version check with. */
  private static final String CONFLICT_STATE = "UD001";

  private static final Pattern CONFLICT = Pattern.compile("updraft-conflict (\\d+) ([^\\n]*)");

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
            // the shared migrations, and PostgreSQL's own (its commit function)
            .locations(
                product.equals("PostgreSQL")
                    ? new String[] {"classpath:db/updraft", "classpath:db/updraft-postgresql"}
                    : new String[] {"classpath:db/updraft"})
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
    try {
      if (h2.isPresent()) {
        commitEmbedded(h2.get(), changeSet, changes);
      } else {
        commitShared(changes, changeSet.events());
      }
    } catch (SQLException e) {
      throw failure("commit", e);
    }
  }

  /**
   * A commit on PostgreSQL: one call of {@code updraft_commit} (migration V3) per {@value #CHUNK}
   * changes, so that a device's start or report is one round trip, in its own transaction. A larger
   * change set (a deployment's snapshot of targets) is several calls in one transaction, then a
   * COMMIT. A connection that breaks while the transaction may be committing leaves its outcome
   * unknown.
   */
  private void commitShared(List<ChangeSet.Change> changes, List<EventRecord> events)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean single = changes.size() <= CHUNK;
      connection.setAutoCommit(single);
      try {
        int from = 0;
        do {
          int to = Math.min(changes.size(), from + CHUNK);
          // the events go with the last call
          call(connection, changes.subList(from, to), to == changes.size() ? events : List.of());
          from = to;
        } while (from < changes.size());
      } catch (SQLException | RuntimeException e) {
        if (single && e instanceof SQLException sql && isConnectionFailure(sql)) {
          throw new CommitOutcomeUnknownException(
              "commit: the connection broke while committing: " + e.getMessage(), e);
        }
        if (!single) {
          connection.rollback();
        }
        throw e;
      }
      if (!single) {
        commitTransaction(connection);
      }
    }
  }

  /**
   * COMMITs the connection's transaction. A connection that breaks meanwhile leaves the outcome
   * unknown; a COMMIT the database refuses is rolled back.
   */
  private static void commitTransaction(Connection connection) throws SQLException {
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
  }

  /** One call of {@code updraft_commit} (migration V5) with {@code changes} and {@code events}. */
  private void call(Connection connection, List<ChangeSet.Change> changes, List<EventRecord> events)
      throws SQLException {
    int size = changes.size();
    String[] kinds = new String[size];
    String[] types = new String[size];
    String[] keys = new String[size];
    Long[] expected = new Long[size];
    Long[] versions = new Long[size];
    String[] bodies = new String[size];
    List<List<String>> gone = new ArrayList<>();
    List<List<String>> added = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ChangeSet.Change change = changes.get(i);
      kinds[i] = change.kind().name().substring(0, 1);
      types[i] = change.type().name();
      keys[i] = change.record().key();
      expected[i] = change.expectedVersion();
      versions[i] = change.record().version();
      List<List<String>> before =
          change.replaced().map(r -> entriesOf(change.type(), r)).orElse(List.of());
      List<List<String>> after = entriesOf(change.type(), change.record());
      switch (change.kind()) {
        case INSERT -> added.addAll(after);
        case UPDATE -> {
          before.stream().filter(e -> !after.contains(e)).forEach(gone::add);
          after.stream().filter(e -> !before.contains(e)).forEach(added::add);
        }
        case DELETE -> gone.addAll(before);
        case CHECK -> {}
      }
      if (change.kind() == ChangeSet.Kind.INSERT || change.kind() == ChangeSet.Kind.UPDATE) {
        bodies[i] = codec.encode(change.record());
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT updraft_commit(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      statement.setArray(1, connection.createArrayOf("text", kinds));
      statement.setArray(2, connection.createArrayOf("text", types));
      statement.setArray(3, connection.createArrayOf("text", keys));
      statement.setArray(4, connection.createArrayOf("bigint", expected));
      statement.setArray(5, connection.createArrayOf("bigint", versions));
      statement.setArray(6, connection.createArrayOf("text", bodies));
      for (int column = 0; column < 4; column++) {
        statement.setArray(7 + column, connection.createArrayOf("text", column(gone, column)));
        statement.setArray(11 + column, connection.createArrayOf("text", column(added, column)));
      }
      statement.setArray(
          15, connection.createArrayOf("text", events.stream().map(codec::encode).toArray()));
      statement.execute();
    } catch (SQLException e) {
      Matcher conflict = CONFLICT.matcher(String.valueOf(e.getMessage()));
      if (CONFLICT_STATE.equals(e.getSQLState()) && conflict.find()) {
        ChangeSet.Change change = changes.get(Integer.parseInt(conflict.group(1)) - 1);
        throw new StoreConflictException(
            change.type(), change.record().key(), conflict.group(2).strip());
      }
      throw e;
    }
  }

  private static String[] column(List<List<String>> entries, int column) {
    return entries.stream().map(entry -> entry.get(column)).toArray(String[]::new);
  }

  /**
   * A commit on embedded H2: commits take turns (its lock), each checked against the copy in memory
   * and then written row by row in one transaction; the copy applies it once H2 committed, and the
   * call returns once the commit is on disk (see {@link EmbeddedH2}).
   */
  private void commitEmbedded(EmbeddedH2 h2, ChangeSet changeSet, List<ChangeSet.Change> changes)
      throws SQLException {
    long ended;
    h2.lock.lock();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      List<EventRecord> events = changeSet.events();
      try {
        apply(h2, connection, changes);
        appendEvents(connection, h2.lastPosition(), events);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
      commitTransaction(connection);
      h2.records().commit(changeSet); // checked against it by apply: it cannot conflict
      ended = h2.ended(events.size());
    } finally {
      h2.lock.unlock();
    }
    try {
      h2.awaitDurable(ended, dataSource);
    } catch (SQLException e) {
      throw new CommitOutcomeUnknownException(
          "commit: applied, but not known to be on disk: " + e.getMessage(), e);
    }
  }

  private void apply(EmbeddedH2 h2, Connection connection, List<ChangeSet.Change> changes)
      throws SQLException {
    List<ChangeSet.Change> inserts = new ArrayList<>();
    for (ChangeSet.Change change : changes) {
      StoredRecord stored = h2.records().get(change.type(), change.record().key()).orElse(null);
      if (change.kind() == ChangeSet.Kind.INSERT) {
        inserts.add(change);
        continue;
      }
      if (stored == null || stored.version() != change.expectedVersion()) {
        throw new StoreConflictException(
            change.type(),
            change.record().key(),
            "is missing or not at version " + change.expectedVersion());
      }
      switch (change.kind()) {
        case UPDATE ->
            execute(
                connection,
                "UPDATE updraft_record SET version = ?, body = ?"
                    + " WHERE record_type = ? AND record_key = ?",
                change.record().version(),
                codec.encode(change.record()),
                change.type().name(),
                change.record().key());
        case DELETE ->
            execute(
                connection,
                "DELETE FROM updraft_record WHERE record_type = ? AND record_key = ?",
                change.type().name(),
                change.record().key());
        default -> {} // a check changes nothing
      }
    }
    insert(connection, inserts);
  }

  /**
   * Inserts {@code events} at the positions after {@code last}: on embedded H2, whose commits take
   * turns, so the positions follow the order of commits. The head row is left alone (the newest
   * event holds the last position; a trim moves the head first, see {@link #trimEvents}).
   */
  private void appendEvents(Connection connection, long last, List<EventRecord> events)
      throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO updraft_event (position, body) VALUES (?, ?)")) {
      long position = last;
      for (EventRecord event : events) {
        insert.setLong(1, ++position);
        insert.setString(2, codec.encode(event));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * On PostgreSQL, numbers the committed events first ({@code updraft_sequence_events}, migration
   * V5); on embedded H2, shows only events known to be on disk, so that a position a reader saw is
   * never given again after a crash.
   *
   * @param after the last position read, 0 for the start
   * @param limit 1 or more
   */
  @Override
  public EventPage events(long after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    try (Connection connection = dataSource.getConnection()) {
      long last;
      if (h2.isPresent()) {
        last = h2.get().durablePosition();
      } else {
        last = number(connection);
      }
      List<EventRecord> events = new ArrayList<>();
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT position, body FROM updraft_event WHERE position > ?"
                      + (h2.isPresent() ? " AND position <= " + last : "")
                      + " ORDER BY position LIMIT ?");
          ResultSet rows = query(select, after, limit)) {
        while (rows.next()) {
          events.add(
              codec
                  .read("event", EventRecord.class, rows.getString(2))
                  .atPosition(rows.getLong(1)));
        }
      }
      try (PreparedStatement oldest =
              connection.prepareStatement("SELECT min(position) FROM updraft_event");
          ResultSet row = oldest.executeQuery()) {
        row.next();
        if (!events.isEmpty()) {
          last = Math.max(last, events.get(events.size() - 1).position());
        }
        long held = row.getLong(1);
        return new EventPage(events, row.wasNull() ? last + 1 : Math.min(held, last + 1), last);
      }
    } catch (SQLException e) {
      throw failure("read events after " + after, e);
    }
  }

  /**
   * On PostgreSQL, numbers the committed events first, as a read does. On embedded H2, moves the
   * head row to the last position first, so that it is known when every event is gone.
   *
   * @param through the last position to remove
   */
  @Override
  public void trimEvents(long through) {
    try (Connection connection = dataSource.getConnection()) {
      if (h2.isEmpty()) {
        number(connection);
      } else {
        long last;
        h2.get().lock.lock();
        try {
          last = h2.get().lastPosition();
        } finally {
          h2.get().lock.unlock();
        }
        execute(connection, "UPDATE updraft_event_head SET last_position = ? WHERE id = 1", last);
      }
      execute(connection, "DELETE FROM updraft_event WHERE position <= ?", through);
    } catch (SQLException e) {
      throw failure("trim events through " + through, e);
    }
  }

  /**
   * Numbers up to {@value #NUMBERED_AT_ONCE} committed events on PostgreSQL ({@code
   * updraft_sequence_events}, migration V5); the last position given.
   */
  private static long number(Connection connection) throws SQLException {
    try (PreparedStatement sequence =
            connection.prepareStatement("SELECT updraft_sequence_events(?)");
        ResultSet row = query(sequence, NUMBERED_AT_ONCE)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static ResultSet query(PreparedStatement statement, Object... parameters)
      throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement.executeQuery();
  }

  private static void execute(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }

  private void insert(Connection connection, List<ChangeSet.Change> inserts) throws SQLException {
    if (inserts.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO updraft_record (record_type, record_key, version, body) VALUES (?, ?, ?, ?)")) {
      int batched = 0;
      for (ChangeSet.Change change : inserts) {
        insert.setString(1, change.type().name());
        insert.setString(2, change.record().key());
        insert.setLong(3, change.record().version());
        insert.setString(4, codec.encode(change.record()));
        insert.addBatch();
        if (++batched % BATCH == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
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
  }

  /**
   * The index entry rows {@code record} has: {@code [index name, partition, sort key, record key]}.
   * Only PostgreSQL has them: embedded H2's reads come from the copy, which indexes the records
   * itself when it loads them.
   *
   * @param type the record type
   * @param record the record
   */
  private static List<List<String>> entriesOf(RecordType<?> type, StoredRecord record) {
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
