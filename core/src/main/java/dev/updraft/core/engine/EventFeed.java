package dev.updraft.core.engine;

import dev.updraft.core.EventsTrimmedException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.RecordType;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event feed: pages of it (each read applies its retention, see {@link Storage#retainEvents})
 * and consumers' durable cursors (counters named {@value #CURSOR}{@code <consumer>}).
 */
final class EventFeed {
  /** The prefix of the counters that hold consumers' cursors. */
  static final String CURSOR = "event-cursor/";

  /** The most events one page holds. */
  static final int MAX_LIMIT = 10_000;

  private static final Pattern CONSUMER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Storage storage;

  EventFeed(Storage storage) {
    this.storage = storage;
  }

  EventPage read(long after, int limit) {
    if (after < 0) {
      throw new InvalidInputException("after", after, "must not be negative");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
    }
    dev.updraft.spi.EventPage page = storage.store.events(after, limit);
    if (after > page.last()) {
      throw new InvalidInputException(
          "after", after, "is past the feed's last position, " + page.last());
    }
    long first = page.events().isEmpty() ? page.oldest() : page.events().get(0).position();
    if (first > after + 1 && after < page.last()) {
      throw new EventsTrimmedException(after, first);
    }
    storage.retainEvents(page);
    return new EventPage(page.events().stream().map(Mapping::event).toList(), page.last());
  }

  long cursor(String consumer) {
    return storage
        .get(RecordType.COUNTER, CURSOR + valid(consumer))
        .map(CounterRecord::value)
        .orElse(0L);
  }

  long acknowledge(String consumer, long position) {
    String key = CURSOR + valid(consumer);
    long last = storage.store.events(Long.MAX_VALUE - 1, 1).last();
    if (position < 0 || position > last) {
      throw new InvalidInputException(
          "position", position, "must be between 0 and the feed's last position, " + last);
    }
    return storage.retrying(
        "acknowledge events",
        () -> {
          Optional<CounterRecord> cursor = storage.get(RecordType.COUNTER, key);
          if (cursor.isPresent() && cursor.get().value() >= position) {
            return cursor.get().value(); // a cursor never goes back
          }
          storage.commit(
              cursor.isPresent()
                  ? ChangeSet.create()
                      .update(
                          RecordType.COUNTER,
                          cursor.get(),
                          new CounterRecord(key, cursor.get().version() + 1, position))
                  : ChangeSet.create()
                      .insert(RecordType.COUNTER, new CounterRecord(key, 1, position)));
          return position;
        });
  }

  private static String valid(String consumer) {
    if (!CONSUMER.matcher(consumer).matches()) {
      throw new InvalidInputException(
          "consumer", consumer, "must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    return consumer;
  }
}
