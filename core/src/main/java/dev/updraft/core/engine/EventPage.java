package dev.updraft.core.engine;

import java.util.List;

/**
 * A page of the event feed (see {@link Updraft#events}).
 *
 * @param events the events after the position asked for, in order, without a gap
 * @param last the newest position in the feed as the page was read (0 before the first event):
 *     {@code last - position} is how far a consumer at {@code position} lags
 */
public record EventPage(List<FeedEvent> events, long last) {
  /**
   * The page, its events copied: it cannot change once made.
   *
   * @param events the events after the position asked for, in order, without a gap
   * @param last the newest position in the feed as the page was read
   */
  public EventPage {
    events = List.copyOf(events);
  }

  /**
   * {@return the position to read after next: the last event's, or {@code after} when the page is
   * empty}
   *
   * @param after the position this page was read after
   */
  public long next(long after) {
    return events.isEmpty() ? after : events.get(events.size() - 1).position();
  }
}
