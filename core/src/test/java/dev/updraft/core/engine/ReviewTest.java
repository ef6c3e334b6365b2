package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import dev.updraft.test.TestFleet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The review after a commit that only the sum of a deployment's stripes judges (see {@link
 * StoredDeployment}): it finishes the deployment, and when it never ran (the node stopped between
 * the two), the next poll of one of its devices does it.
 */
class ReviewTest {
  private static final DeviceState STATE = DeviceState.of("test-board", "v0");

  @Test
  @DisplayName("a review that never ran leaves the deployment open; the next poll finishes it once")
  void missedReview_nextPollSettles() {
    InMemoryStore store = new InMemoryStore();
    List<UpdraftEvent> events = new ArrayList<>();
    Updraft engine =
        Updraft.builder(store).clock(new ManualClock(T0)).listener(events::add).build();
    List<String> devices = TestFleet.of(engine).devices("d-", 2).build();
    String id = deployTo(engine, devices);
    devices.forEach(device -> engine.poll(device, STATE));
    engine.report(devices.get(0), id, DeviceDeploymentStatus.SUCCESS);

    // What a node left that committed the last device's success, as a report concurrent with the
    // first one's would (in a stripe of its own, having seen the other still open), and stopped
    // before its review: every device finished, the deployment's record not.
    DeviceDeploymentRecord open =
        store
            .get(RecordType.DEVICE_DEPLOYMENT, DeviceDeploymentRecord.keyOf(id, devices.get(1)))
            .orElseThrow();
    DeviceDeploymentRecord succeeded =
        Mapping.record(
            Mapping.deviceDeployment(open)
                .transition(DeviceDeploymentStatus.SUCCESS, "", T0.plusSeconds(1)),
            open.version() + 1);
    DeploymentCountsRecord stripe =
        store.scan(Index.COUNTS_BY_DEPLOYMENT, id, Optional.empty(), 100).items().get(0);
    Map<String, Long> statistics = new HashMap<>(stripe.statistics());
    statistics.merge(open.status(), -1L, Long::sum);
    statistics.merge("success", 1L, Long::sum);
    store.commit(
        ChangeSet.create()
            .update(RecordType.DEVICE_DEPLOYMENT, open, succeeded)
            .update(
                RecordType.DEPLOYMENT_COUNTS,
                stripe,
                new DeploymentCountsRecord(
                    id,
                    stripe.stripe(),
                    stripe.version() + 1,
                    statistics,
                    stripe.handedOut(),
                    stripe.phaseCounts(),
                    plusOne(stripe.phaseTried()),
                    plusOne(stripe.phaseSucceeded()),
                    stripe.guardTried() + 1,
                    stripe.guardFailed())));
    assertThat(engine.deployment(id).orElseThrow().statistics().finished()).isEqualTo(2);
    assertThat(engine.deployment(id).orElseThrow().finished()).isEmpty();

    engine.poll(devices.get(0), STATE);
    engine.poll(devices.get(1), STATE);

    assertThat(engine.deployment(id).orElseThrow().finished()).isPresent();
    assertThat(events)
        .filteredOn(e -> e.kind() == UpdraftEvent.Kind.DEPLOYMENT_FINISHED)
        .hasSize(1);
  }

  /** A release for the devices, and a deployment of it to {@code devices}: its id. */
  private static String deployTo(Updraft engine, List<String> devices) {
    engine.addArtifact(anArtifact("a", "r1", "test-board"));
    return engine
        .createDeployment(
            DeploymentRequest.builder()
                .name("to " + devices.size())
                .releaseName("r1")
                .addAllDevices(devices)
                .build())
        .deployment()
        .id();
  }

  private static List<Long> plusOne(List<Long> counts) {
    return counts.isEmpty() ? List.of(1L) : List.of(counts.get(0) + 1);
  }

  @Test
  @DisplayName("reports one after another finish the deployment in the last one's commit, once")
  void lastReport_finishes() {
    List<UpdraftEvent> events = new ArrayList<>();
    Updraft engine =
        Updraft.builder(new InMemoryStore())
            .clock(new ManualClock(T0))
            .listener(events::add)
            .build();
    List<String> devices = TestFleet.of(engine).devices("d-", 3).build();
    String id = deployTo(engine, devices);
    for (String device : devices) {
      engine.poll(device, STATE);
      engine.report(device, id, DeviceDeploymentStatus.FAILURE);
    }

    assertThat(engine.deployment(id).orElseThrow().finished()).isPresent();
    assertThat(events)
        .filteredOn(e -> e.kind() == UpdraftEvent.Kind.DEPLOYMENT_FINISHED)
        .hasSize(1);
  }
}
