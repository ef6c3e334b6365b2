package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.DeviceState;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.StoredRecord;
import dev.updraft.test.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a poll reads of a device's history: the cost model's "never more than it needs". */
class PollReadsTest {
  /** The in-memory store, recording the device deployments that history scans return. */
  private static final class RecordingStore extends ForwardingStore {
    final List<DeviceDeploymentRecord> historyRead = new ArrayList<>();
    int historyScans;

    /** Runs once, right after the next history scan read its page and before it returns it. */
    @Nullable Runnable afterHistoryScan;

    @Override
    public <R extends StoredRecord> Page<R> scan(
        Index<R> index, String partition, Optional<String> after, int limit) {
      Page<R> page = super.scan(index, partition, after, limit);
      if (index.equals(Index.DEVICE_DEPLOYMENTS_BY_DEVICE)) {
        historyScans++;
        page.items().forEach(r -> historyRead.add((DeviceDeploymentRecord) r));
        Runnable then = afterHistoryScan;
        afterHistoryScan = null;
        if (then != null) {
          then.run();
        }
      }
      return page;
    }
  }

  private static final DeviceState ARM6 = DeviceState.of("arm6", "v0");

  private final ManualClock clock = new ManualClock(T0);
  private final AtomicLong ids = new AtomicLong();
  private final RecordingStore store = new RecordingStore();
  private final Updraft updraft =
      Updraft.builder(store).clock(clock).ids(() -> "id" + ids.incrementAndGet()).build();

  @BeforeEach
  void device() {
    for (String release : List.of("r1", "r2")) {
      updraft.addArtifact(anArtifact(release + "-arm6", release, "arm6"));
    }
    updraft.register("d1", Map.of("mac", AttributeValue.text("d1")));
    updraft.setAdmission("d1", AdmissionStatus.ACCEPTED);
  }

  /** A deployment of {@code release} to d1; the clock moves on a second. */
  private String deploy(String release) {
    String id =
        updraft
            .createDeployment(
                DeploymentRequest.builder()
                    .name("to " + release)
                    .releaseName(release)
                    .addDevices("d1")
                    .build())
            .deployment()
            .id();
    clock.advance(Duration.ofSeconds(1));
    return id;
  }

  private String deployAndFinish(String release) {
    String id = deploy(release);
    assertThat(updraft.poll("d1", ARM6).instructions()).isPresent();
    updraft.report("d1", id, DeviceDeploymentStatus.SUCCESS, "");
    return id;
  }

  @Test
  @DisplayName("once every deployment that targets a device finished, its polls read no history")
  void everyDeploymentFinished_noHistoryRead() {
    String first = deployAndFinish("r1");
    assertThat(updraft.deployment(first).orElseThrow().status(clock.instant()))
        .isEqualTo(DeploymentStatus.FINISHED);
    store.historyScans = 0;

    assertThat(updraft.poll("d1", ARM6).instructions()).isEmpty();
    assertThat(store.historyScans).isZero();
  }

  @Test
  @DisplayName("a poll reads the history from the oldest active deployment on, not before it")
  void historyReadFromTheOldestActiveDeployment() {
    String finished = deployAndFinish("r1");
    String active = deploy("r2");
    store.historyRead.clear();

    assertThat(updraft.poll("d1", ARM6).instructions().orElseThrow().deploymentId())
        .isEqualTo(active);
    assertThat(store.historyRead)
        .extracting(DeviceDeploymentRecord::deploymentId)
        .doesNotContain(finished);
  }

  @Test
  @DisplayName(
      "a poll that missed its device's hand-out by a concurrent poll does not skip that deployment"
          + " as full: it hands out the older one, not the newer")
  void concurrentHandOutMissedByTheHistory_olderDeploymentStillFirst() {
    handOutMissedByTheHistory(deploy("r1"));
  }

  @Test
  @DisplayName(
      "a poll that missed its device's hand-out by a concurrent poll does not skip that deployment"
          + " as its phase full: it hands out the older one, not the newer")
  void concurrentHandOutMissedByTheHistory_phaseNotOpen_olderDeploymentStillFirst() {
    updraft.register("d2", Map.of("mac", AttributeValue.text("d2")));
    updraft.setAdmission("d2", AdmissionStatus.ACCEPTED);
    String phased =
        updraft
            .createDeployment(
                DeploymentRequest.builder()
                    .name("to r1 in phases")
                    .releaseName("r1")
                    .addDevices("d1", "d2")
                    .options(
                        DeploymentOptions.builder()
                            .addPhases(Phase.first(50), Phase.rest(T0.plus(Duration.ofDays(1))))
                            .build())
                    .build())
            .deployment()
            .id();
    clock.advance(Duration.ofSeconds(1));
    handOutMissedByTheHistory(phased);
  }

  /**
   * A deployment newer than {@code older}, then a poll of d1 during which a concurrent poll of d1
   * takes {@code older}, its one device (or its first phase's) committed after this poll's history
   * scan, as PostgreSQL at read committed may show it: the later reads of the counts count it.
   */
  private void handOutMissedByTheHistory(String older) {
    String newer = deploy("r2");
    store.afterHistoryScan =
        () ->
            assertThat(updraft.poll("d1", ARM6).instructions().orElseThrow().deploymentId())
                .isEqualTo(older);

    assertThat(updraft.poll("d1", ARM6).instructions().orElseThrow().deploymentId())
        .isEqualTo(older);
    assertThat(updraft.history("d1", PageRequest.first(10)).items())
        .extracting(DeviceDeployment::deploymentId)
        .containsExactly(older);
    assertThat(updraft.deployment(newer).orElseThrow().handedOut()).isZero();
  }
}
