package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.RecordType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit log reads back what was appended, up to the first entry cut short or damaged, and a
 * store will not open on a log that skips commits the database does not hold.
 */
class CommitLogTest {
  private final RecordCodec codec = new RecordCodec();

  @TempDir Path directory;

  private static ChangeSet counter(String name, long version) {
    ChangeSet changes = ChangeSet.create();
    CounterRecord record = new CounterRecord(name, version, version * 10);
    return version == 1
        ? changes.insert(RecordType.COUNTER, record)
        : changes.update(RecordType.COUNTER, record);
  }

  private static List<String> changesOf(List<CommitLog.Entry> entries) {
    return entries.stream().map(e -> e.number() + " " + e.changes().changes()).toList();
  }

  @Test
  void readsBackTheEntriesAppended() throws Exception {
    CommitLog log = CommitLog.open(directory.resolve("log"));
    log.append(1, counter("a", 1), codec);
    log.append(2, counter("a", 2).check(RecordType.COUNTER, new CounterRecord("b", 4, 0)), codec);

    assertThat(changesOf(CommitLog.open(directory.resolve("log")).read(codec)))
        .containsExactly(
            "1 " + counter("a", 1).changes(),
            "2 "
                + counter("a", 2)
                    .check(RecordType.COUNTER, new CounterRecord("b", 4, 0))
                    .changes());
  }

  @Test
  void anEntryCutShortEndsTheLog() throws Exception {
    Path path = directory.resolve("log");
    CommitLog log = CommitLog.open(path);
    log.append(1, counter("a", 1), codec);
    long whole = Files.size(path);
    log.append(2, counter("a", 2), codec);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(path) - 3);
    }

    assertThat(CommitLog.open(path).read(codec))
        .extracting(CommitLog.Entry::number)
        .containsExactly(1L);
    assertThat(Files.size(path)).isGreaterThan(whole);
  }

  @Test
  void aDamagedEntryEndsTheLog() throws Exception {
    Path path = directory.resolve("log");
    CommitLog log = CommitLog.open(path);
    log.append(1, counter("a", 1), codec);
    long second = Files.size(path);
    log.append(2, counter("a", 2), codec);
    log.append(3, counter("a", 3), codec);
    byte[] bytes = Files.readAllBytes(path);
    bytes[(int) second + 20] ^= 1; // inside entry 2's content
    Files.write(path, bytes);

    assertThat(CommitLog.open(path).read(codec))
        .extracting(CommitLog.Entry::number)
        .containsExactly(1L);
  }

  @Test
  void aStoreRefusesALogThatSkipsCommitsTheDatabaseLacks() throws Exception {
    String url = JdbcStore.embeddedH2Url(directory);
    try (HikariDataSource pool = Databases.pool(url, 2)) {
      new JdbcStore(pool).commit(counter("a", 1)); // commit 1; opening emptied the log
    }
    CommitLog.open(directory.resolve("updraft.commits.log")).append(3, counter("a", 2), codec);

    try (HikariDataSource pool = Databases.pool(url, 2)) {
      assertThatThrownBy(() -> new JdbcStore(pool))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessageContaining("holds commit 3 next, but the database holds commits up to 1");
    }
  }
}
