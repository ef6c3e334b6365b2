package dev.updraft.core.engine;

import dev.updraft.spi.StoredRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Domain values decoded from records, kept per record key with the record they were decoded from,
 * so that the hot paths do not decode (parse filters, rebuild releases) a record they have seen
 * before: by default the same record (the same instance or an equal one); a cache of values that
 * depend on only part of a record says when two records decode alike. A hit is one lookup in a
 * concurrent map: it writes no shared memory, so polls on several cores do not contend on the cache
 * (a least-recently-used cache records every read). Bounded crudely: when it holds more than {@link
 * #MAXIMUM_SIZE} entries it is emptied and fills again.
 */
final class DecodedCache<R extends StoredRecord, T> {
  /** Well above the active deployments and releases of a large fleet (10,000 deployments). */
  private static final int MAXIMUM_SIZE = 50_000;

  private record Entry<R, T>(R record, T value) {}

  private final Map<String, Entry<R, T>> entries = new ConcurrentHashMap<>();
  private final Function<R, T> decode;
  private final BiPredicate<R, R> decodeAlike;

  DecodedCache(Function<R, T> decode) {
    // the in-memory store hands out the stored instance: identity is the common, cheap case
    this(decode, (cached, read) -> cached == read || cached.equals(read));
  }

  DecodedCache(Function<R, T> decode, BiPredicate<R, R> decodeAlike) {
    this.decode = decode;
    this.decodeAlike = decodeAlike;
  }

  T get(R record) {
    Entry<R, T> entry = entries.get(record.key());
    if (entry != null && decodeAlike.test(entry.record(), record)) {
      return entry.value();
    }
    T value = decode.apply(record);
    put(record, value);
    return value;
  }

  /**
   * Keeps {@code value} as what {@code record} decodes to: for a record just written from that
   * value, so that the next read of the record, as a rule soon, needs no decoding.
   *
   * @param record the record
   * @param value the value
   */
  void put(R record, T value) {
    if (entries.size() >= MAXIMUM_SIZE) {
      entries.clear();
    }
    entries.put(record.key(), new Entry<>(record, value));
  }
}
