package dev.updraft.spi.memory;

import dev.updraft.spi.EventPage;
import dev.updraft.spi.EventRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory store's event feed: the events it holds, oldest first, at consecutive positions.
 * Commits append under the write locks of their records' stripes, so a commit that read what
 * another wrote appends after it. Its monitor guards everything.
 */
final class Feed {
  private final List<EventRecord> events = new ArrayList<>();

  /** The last position given, 0 before the first. */
  private long last;

  synchronized void append(List<EventRecord> appended) {
    for (EventRecord event : appended) {
      events.add(event.atPosition(++last));
    }
  }

  synchronized EventPage read(long after, int limit) {
    long oldest = events.isEmpty() ? last + 1 : events.get(0).position();
    int from = (int) Math.max(0, Math.min(events.size(), after + 1 - oldest));
    int to = (int) Math.min(events.size(), (long) from + limit);
    return new EventPage(events.subList(from, to), oldest, last);
  }

  synchronized void trim(long through) {
    long oldest = events.isEmpty() ? last + 1 : events.get(0).position();
    events.subList(0, (int) Math.max(0, Math.min(events.size(), through + 1 - oldest))).clear();
  }
}
