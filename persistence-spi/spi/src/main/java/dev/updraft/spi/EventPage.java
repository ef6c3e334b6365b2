package dev.updraft.spi;

import java.util.List;

/**
 * A page of the event feed (see {@link UpdraftStore#events}), with the bounds of what the store
 * holds as it read the page.
 *
 * @param events the events after the position asked for, in position order, without a gap
 * @param oldest the lowest position the store still holds: {@code last + 1} when it holds none
 *     (every event was trimmed, or there never was one)
 * @param last the highest position assigned so far, 0 before the first event
 */
public record EventPage(List<EventRecord> events, long oldest, long last) {
  /**
   * The page, its events copied: it cannot change once made.
   *
   * @param events the events after the position asked for, in position order, without a gap
   * @param oldest the lowest position the store still holds, {@code last + 1} when none
   * @param last the highest position assigned so far, 0 before the first event
   */
  public EventPage {
    events = List.copyOf(events);
  }
}
