package dev.updraft.core;

/**
 * A consumer of the event feed fell behind its retention: events after the position it read were
 * removed before it read them. It resumes from {@link #oldest()} knowing it missed events, or
 * rebuilds what it keeps from the current state.
 */
public final class EventsTrimmedException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  /** The position the consumer asked to read after. */
  private final long after;

  /** The oldest position the feed still holds. */
  private final long oldest;

  /**
   * The events after position {@code after} were trimmed; the feed now starts at {@code oldest}.
   *
   * @param after the position the consumer asked to read after
   * @param oldest the oldest position the feed still holds
   */
  public EventsTrimmedException(long after, long oldest) {
    super(
        "events "
            + (after + 1)
            + " to "
            + (oldest - 1)
            + " were trimmed by the feed's retention before they were read; the feed starts at "
            + oldest);
    this.after = after;
    this.oldest = oldest;
  }

  /** {@return the position the consumer asked to read after} */
  public long after() {
    return after;
  }

  /** {@return the oldest position the feed still holds: read after {@code oldest - 1} to go on} */
  public long oldest() {
    return oldest;
  }
}
