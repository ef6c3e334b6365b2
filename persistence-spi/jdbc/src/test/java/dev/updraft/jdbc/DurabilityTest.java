package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.RecordType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
      "embedded H2: every acknowledged commit survives a SIGKILL of the JVM holding the database")
  void h2_survivesKill() throws Exception {
    killAfterAcks(JdbcStore.embeddedH2Url(directory));
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
    killAfterAcks(url);
  }

  private void killAfterAcks(String url) throws Exception {
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

    try (HikariDataSource pool = Databases.pool(url, 2)) {
      JdbcStore reopened = new JdbcStore(pool);
      for (long n = 0; n <= acknowledged; n++) {
        assertThat(reopened.get(RecordType.COUNTER, "pair-" + n + "-a"))
            .as("pair %s a", n)
            .isPresent();
        assertThat(reopened.get(RecordType.COUNTER, "pair-" + n + "-b"))
            .as("pair %s b", n)
            .isPresent();
      }
      long inFlight = acknowledged + 1;
      assertThat(reopened.get(RecordType.COUNTER, "pair-" + inFlight + "-a").isPresent())
          .as("the commit in flight is whole or absent")
          .isEqualTo(reopened.get(RecordType.COUNTER, "pair-" + inFlight + "-b").isPresent());
      assertThat(reopened.get(RecordType.COUNTER, "pair-" + (inFlight + 1) + "-a"))
          .as("nothing after the commit in flight")
          .isEmpty();
    }
  }
}
