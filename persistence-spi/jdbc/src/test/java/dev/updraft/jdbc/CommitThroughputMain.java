package dev.updraft.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.RecordType;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures commit throughput: commits of one new device deployment (a record and its two index
 * entries), from 1 and from 8 threads, five rounds each; prints the median. Not a test: run it by
 * hand (see the README of the JDBC store in the closing note of issue 4).
 *
 * <p>Argument: a JDBC URL, or {@code h2} for a fresh embedded H2 file database.
 */
public final class CommitThroughputMain {
  private static final int COMMITS = 4_000;
  private static final int ROUNDS = 5;

  private CommitThroughputMain() {}

  public static void main(String[] args) throws Exception {
    String url =
        args[0].equals("h2")
            ? JdbcStore.embeddedH2Url(Files.createTempDirectory("updraft-throughput"))
            : args[0];
    try (HikariDataSource pool = Databases.pool(url, 16)) {
      JdbcStore store = new JdbcStore(pool);
      Databases.clear(pool);
      for (int threads : new int[] {1, 8}) {
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
          rates[round] = run(store, threads, "r" + threads + "-" + round);
        }
        Arrays.sort(rates);
        System.out.printf(
            "%s: %d thread(s): median %.0f commits/s (rounds: %s)%n",
            url.startsWith("jdbc:h2") ? "H2" : "PostgreSQL",
            threads,
            rates[ROUNDS / 2],
            Arrays.toString(Arrays.stream(rates).map(Math::rint).toArray()));
      }
    }
  }

  private static double run(JdbcStore store, int threads, String tag) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = thread; i < COMMITS; i += threads) {
                  store.commit(
                      ChangeSet.create()
                          .insert(
                              RecordType.DEVICE_DEPLOYMENT,
                              new DeviceDeploymentRecord(
                                  "dev-" + i,
                                  tag,
                                  1,
                                  Optional.of("artifact"),
                                  "pending",
                                  "",
                                  Instant.EPOCH,
                                  1,
                                  Instant.EPOCH,
                                  Optional.empty(),
                                  1,
                                  false,
                                  Optional.empty(),
                                  Optional.of(0),
                                  Optional.empty())));
                }
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    return COMMITS / ((System.nanoTime() - start) / 1e9);
  }
}
