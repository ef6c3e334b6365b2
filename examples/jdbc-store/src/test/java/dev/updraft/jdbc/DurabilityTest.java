package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.RecordType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 8: a child JVM commits through {@link JdbcStore} and is killed with SIGKILL (no clean
 * shutdown) after it acknowledged some commits; the reopened store holds every acknowledged commit,
 * whole, and nothing but those and at most the one in flight.
 */
class DurabilityTest {
  private static final int ACKS = 300;

  @TempDir Path directory;

  @Test
  @DisplayName(
      "embedded H2: every acknowledged commit survives a SIGKILL of the JVM holding the database,"
          + " and a torn write at the end of its commit log")
  void h2_survivesKill() throws Exception {
    killAfterAcks(
        JdbcStore.embeddedH2Url(directory),
        () -> {
          // what a write the kill interrupted leaves: the start of an entry, never acknowledged
          Path log = directory.resolve("updraft.commits.log");
          assertThat(Files.size(log)).as("the commit log's size after the kill").isPositive();
          Files.write(log, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);
        });
  }

  @Test
  @Tag("postgres")
  @DisplayName("PostgreSQL: every acknowledged commit survives a SIGKILL of the committing JVM")
  void postgres_survivesKill() throws Exception {
    String url = Databases.postgresUrl();
    try (HikariDataSource pool = Databases.pool(url, 2)) {
      new JdbcStore(pool);
      Databases.clear(pool);
    }
    killAfterAcks(url, () -> {});
  }

  /** What a test does between the kill and the reopening. */
  private interface AfterKill {
    void run() throws Exception;
  }

  private void killAfterAcks(String url, AfterKill afterKill) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CommitterMain.class.getName(),
                url)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    // The child runs ahead of this reader: after the kill, the pipe still holds the acks it printed
    // before it died, so read to the end to learn the last commit it acknowledged.
    long acknowledged = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acknowledged = Long.parseLong(line.substring(4));
          if (acknowledged + 1 == ACKS) {
            // SIGKILL (no shutdown hook, no clean close) through the handle, which, unlike
            // Process.destroyForcibly, leaves the pipe open for the acks still in it
            child.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acknowledged)
        .as("acknowledged commits before the kill")
        .isGreaterThanOrEqualTo(ACKS - 1L);

    afterKill.run();
    // twice: the second store reads what the first one's opening left in the database
    for (int opening = 1; opening <= 2; opening++) {
      try (HikariDataSource pool = Databases.pool(url, 2)) {
        JdbcStore reopened = new JdbcStore(pool);
        for (long n = 0; n <= acknowledged; n++) {
          assertThat(reopened.get(RecordType.COUNTER, "pair-" + n + "-a"))
              .as("opening %s: pair %s a", opening, n)
              .isPresent();
          assertThat(reopened.get(RecordType.COUNTER, "pair-" + n + "-b"))
              .as("opening %s: pair %s b", opening, n)
              .isPresent();
        }
        long inFlight = acknowledged + 1;
        assertThat(reopened.get(RecordType.COUNTER, "pair-" + inFlight + "-a").isPresent())
            .as("opening %s: the commit in flight is whole or absent", opening)
            .isEqualTo(reopened.get(RecordType.COUNTER, "pair-" + inFlight + "-b").isPresent());
        assertThat(reopened.get(RecordType.COUNTER, "pair-" + (inFlight + 1) + "-a"))
            .as("opening %s: nothing after the commit in flight", opening)
            .isEmpty();
      }
    }
  }
}
