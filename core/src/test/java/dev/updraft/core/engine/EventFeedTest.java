package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.EventsTrimmedException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.DeviceState;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.memory.InMemoryStore;
import dev.updraft.test.ManualClock;
import dev.updraft.test.TestFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event feed through the engine: what a rollout appends, consumers' cursors, retention. */
class EventFeedTest {
  private static final DeviceState STATE = DeviceState.of("test-board", "v0");

  private final InMemoryStore store = new InMemoryStore();
  private final List<UpdraftEvent> heard = new ArrayList<>();

  private Updraft engine(long retention) {
    return Updraft.builder(store)
        .clock(new ManualClock(T0))
        .listener(heard::add)
        .eventRetention(retention)
        .build();
  }

  /** A deployment of a new release to {@code fleet}: its id. */
  private static String deploy(Updraft engine, List<String> fleet) {
    engine.addArtifact(anArtifact("a", "r1", "test-board"));
    return engine
        .createDeployment(
            DeploymentRequest.builder().name("n").releaseName("r1").addAllDevices(fleet).build())
        .deployment()
        .id();
  }

  /** Deploys to {@code devices} devices, each polling and reporting success: its id. */
  private static String rollOut(Updraft engine, int devices) {
    List<String> fleet = TestFleet.of(engine).devices("d-", devices).build();
    String id = deploy(engine, fleet);
    for (String device : fleet) {
      engine.poll(device, STATE);
      engine.report(device, id, DeviceDeploymentStatus.SUCCESS);
    }
    return id;
  }

  @Test
  @DisplayName("a rollout's events are in the feed in order, the listener's events with their ids")
  void rollout_feedHoldsItsEvents() {
    Updraft engine = engine(1_000);
    String id = rollOut(engine, 2);

    EventPage page = engine.events(0, 100);

    assertThat(page.events())
        .extracting(e -> e.event().kind())
        .containsExactly(
            UpdraftEvent.Kind.DEPLOYMENT_CREATED,
            UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
            UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
            UpdraftEvent.Kind.DEPLOYMENT_STARTED,
            UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
            UpdraftEvent.Kind.DEVICE_DEPLOYMENT_CHANGED,
            UpdraftEvent.Kind.DEPLOYMENT_FINISHED);
    assertThat(page.events())
        .extracting(FeedEvent::position)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(page.events()).extracting(FeedEvent::event).containsExactlyElementsOf(heard);
    assertThat(page.events()).allSatisfy(e -> assertThat(e.event().deploymentId()).isEqualTo(id));
    assertThat(page.last()).isEqualTo(7);
    assertThat(page.next(0)).isEqualTo(7);
    assertThat(engine.events(7, 10).events()).isEmpty();
    assertThat(engine.events(7, 10).next(7)).isEqualTo(7);
    assertThat(engine.events(5, 1).events())
        .extracting(e -> e.event().to())
        .containsExactly(Optional.of(DeviceDeploymentStatus.SUCCESS));
  }

  @Test
  @DisplayName("consumers keep cursors of their own, which never go back")
  void cursors_independent_neverBack() {
    Updraft engine = engine(1_000);
    rollOut(engine, 2);

    assertThat(engine.eventCursor("webhooks")).isZero();
    assertThat(engine.acknowledgeEvents("webhooks", 5)).isEqualTo(5);
    assertThat(engine.acknowledgeEvents("audit", 2)).isEqualTo(2);
    assertThat(engine.acknowledgeEvents("webhooks", 3)).as("a lower position").isEqualTo(5);

    Updraft restarted = engine(1_000);
    assertThat(restarted.eventCursor("webhooks")).isEqualTo(5);
    assertThat(restarted.eventCursor("audit")).isEqualTo(2);
    assertThat(restarted.events(restarted.eventCursor("webhooks"), 10).events())
        .extracting(FeedEvent::position)
        .containsExactly(6L, 7L);
  }

  @Test
  @DisplayName("bad cursors, positions and limits are refused, naming the field and value")
  void badInput_refused() {
    Updraft engine = engine(1_000);
    rollOut(engine, 1);

    assertThatThrownBy(() -> engine.acknowledgeEvents("web hooks", 1))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("consumer"))
        .hasMessageContaining("\"web hooks\"");
    assertThatThrownBy(() -> engine.eventCursor(""))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("consumer");
    assertThatThrownBy(() -> engine.acknowledgeEvents("w", 99))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("position"))
        .hasMessageContaining("99");
    assertThatThrownBy(() -> engine.events(-1, 10))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("after"));
    assertThatThrownBy(() -> engine.events(99, 10))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("after"))
        .hasMessageContaining("last position");
    assertThatThrownBy(() -> engine.events(0, 0))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThatThrownBy(() -> engine.events(0, EventFeed.MAX_LIMIT + 1))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Updraft.builder(store).eventRetention(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("eventRetention");
    assertThat(engine.eventCursor("w")).as("nothing committed by a refusal").isZero();
  }

  @Test
  @DisplayName(
      "retention keeps the newest events; a consumer behind it is told where the feed starts")
  void retention_trims_consumerBehindIsTold() {
    Updraft engine = engine(10);
    for (int i = 0; i < 30; i++) {
      store.commit(ChangeSet.create().append(Mapping.record(event("d" + i))));
    }
    assertThat(store.events(0, 100).oldest()).as("nothing trimmed before a read").isEqualTo(1);

    engine.events(30, 1);

    assertThat(store.events(0, 100).oldest())
        .as("the read trimmed all but the newest 10")
        .isEqualTo(21);
    assertThatThrownBy(() -> engine.events(5, 10))
        .isInstanceOfSatisfying(
            EventsTrimmedException.class,
            e -> {
              assertThat(e.after()).isEqualTo(5);
              assertThat(e.oldest()).isEqualTo(21);
            })
        .hasMessageContaining("events 6 to 20 were trimmed");
    assertThat(engine.events(20, 100).events()).hasSize(10);
    assertThat(engine.events(30, 100).events())
        .as("up to date: nothing trimmed is missed")
        .isEmpty();

    store.commit(ChangeSet.create().append(Mapping.record(event("e"))));
    engine.events(30, 1);
    assertThat(store.events(0, 100).oldest()).as("11 held, a tenth more: kept").isEqualTo(21);
    store.commit(ChangeSet.create().append(Mapping.record(event("f"))));
    engine.events(30, 1);
    assertThat(store.events(0, 100).oldest()).as("12 held: a read trims to 10").isEqualTo(23);
  }

  @Test
  @DisplayName("without any reader, the feed is trimmed after every 1,024th commit with events")
  void retention_withoutReaders() {
    Updraft engine = engine(100);
    List<String> fleet = TestFleet.of(engine).devices("d-", 1).build();
    String id = deploy(engine, fleet); // the first commit with an event
    for (int i = 1; i < Storage.RETAIN_EVERY - 1; i++) { // a pause or a resume: one event each
      if (i % 2 == 1) {
        engine.pause(id);
      } else {
        engine.resume(id);
      }
    }
    assertThat(store.events(0, 1).oldest()).as("after 1,023 commits").isEqualTo(1);

    engine.pause(id);

    dev.updraft.spi.EventPage bounds = store.events(0, 1);
    assertThat(bounds.last()).isEqualTo(Storage.RETAIN_EVERY);
    assertThat(bounds.oldest()).as("the 1,024th kept the newest 100").isEqualTo(bounds.last() - 99);
  }

  private static UpdraftEvent event(String deployment) {
    return UpdraftEvent.deployment(UpdraftEvent.Kind.DEPLOYMENT_PAUSED, deployment, T0, "");
  }
}
