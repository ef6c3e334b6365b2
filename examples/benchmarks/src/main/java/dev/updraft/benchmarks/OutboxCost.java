package dev.updraft.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.updraft.jdbc.JdbcStore;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.EventRecord;
import dev.updraft.spi.RecordType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the event feed costs a commit on a {@link JdbcStore}: blocks of status-report-shaped commits
 * (a device deployment changes status, so its index entries move, and a counter changes) without an
 * event and with one, taking turns, from several threads on records of their own; it prints the
 * commits per second of each kind's blocks (median) and the ratio. Taking turns in one process
 * cancels most of what a busy machine adds to both. Run: {@code java -cp <benchmarks classpath>
 * dev.updraft.benchmarks.OutboxCost <jdbc url> [threads] [blocks] [commits per block]}.
 */
public final class OutboxCost {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private OutboxCost() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int commits = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(threads + 2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcStore store = new JdbcStore(pool);
      String run = UUID.randomUUID().toString().substring(0, 8);
      List<DeviceDeploymentRecord[]> records = new ArrayList<>();
      List<CounterRecord[]> counters = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        DeviceDeploymentRecord record = record("dep-" + run, "dev-" + t, 1, "downloading");
        CounterRecord counter = new CounterRecord("outbox-" + run + "-" + t, 1, 0);
        store.commit(
            ChangeSet.create()
                .insert(RecordType.DEVICE_DEPLOYMENT, record)
                .insert(RecordType.COUNTER, counter));
        records.add(new DeviceDeploymentRecord[] {record});
        counters.add(new CounterRecord[] {counter});
      }
      ExecutorService executor = Executors.newFixedThreadPool(threads);
      List<Double> without = new ArrayList<>();
      List<Double> with = new ArrayList<>();
      for (int block = 0; block < 2 * blocks + 2; block++) {
        boolean events = block % 2 == 1;
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              executor.submit(
                  () -> {
                    for (int i = 0; i < commits / threads; i++) {
                      commit(store, records.get(thread), counters.get(thread), events);
                    }
                    return null;
                  }));
        }
        for (Future<?> future : done) {
          future.get();
        }
        double perSecond = (commits / threads) * threads / ((System.nanoTime() - start) / 1e9);
        if (block >= 2) { // the first pair warms up
          (events ? with : without).add(perSecond);
        }
      }
      executor.shutdown();
      double a = median(without);
      double b = median(with);
      System.out.printf(
          "commits/s without an event %.0f, with one %.0f (medians of %d blocks of %d commits,"
              + " %d threads): with/without %.3f%n",
          a, b, blocks, commits, threads, b / a);
    }
  }

  private static void commit(
      JdbcStore store, DeviceDeploymentRecord[] record, CounterRecord[] counter, boolean event) {
    DeviceDeploymentRecord read = record[0];
    DeviceDeploymentRecord next =
        record(
            read.deploymentId(),
            read.deviceId(),
            read.version() + 1,
            read.status().equals("downloading") ? "installing" : "downloading");
    CounterRecord count =
        new CounterRecord(counter[0].name(), counter[0].version() + 1, counter[0].value() + 1);
    ChangeSet changes =
        ChangeSet.create()
            .update(RecordType.DEVICE_DEPLOYMENT, read, next)
            .update(RecordType.COUNTER, counter[0], count);
    if (event) {
      changes.append(
          new EventRecord(
              0,
              UUID.randomUUID().toString(),
              "DEVICE_DEPLOYMENT_CHANGED",
              read.deploymentId(),
              Optional.of(read.deviceId()),
              Optional.of(read.status()),
              Optional.of(next.status()),
              Instant.now(),
              ""));
    }
    store.commit(changes);
    record[0] = next;
    counter[0] = count;
  }

  private static DeviceDeploymentRecord record(
      String deployment, String device, long version, String status) {
    return new DeviceDeploymentRecord(
        device,
        deployment,
        version,
        Optional.of("artifact"),
        status,
        "",
        T0,
        1,
        T0,
        Optional.empty(),
        1,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
