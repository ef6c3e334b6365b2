package dev.updraft.core.engine;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.updraft.spi.StoredRecord;
import java.util.function.Function;

/**
 * Domain values decoded from records, kept per record key and version, so that the hot paths do not
 * decode (parse filters, rebuild releases) a record they have seen at that version before. Bounded:
 * the least recently used entries go first.
 */
final class DecodedCache<R extends StoredRecord, T> {
  private static final int MAXIMUM_SIZE = 10_000;

  private record Entry<R, T>(R record, T value) {}

  private final Cache<String, Entry<R, T>> entries =
      CacheBuilder.newBuilder().maximumSize(MAXIMUM_SIZE).build();
  private final Function<R, T> decode;

  DecodedCache(Function<R, T> decode) {
    this.decode = decode;
  }

  T get(R record) {
    Entry<R, T> entry = entries.getIfPresent(record.key());
    // the in-memory store hands out the stored instance: identity is the common, cheap case
    if (entry == null || (entry.record() != record && !entry.record().equals(record))) {
      entry = new Entry<>(record, decode.apply(record));
      entries.put(record.key(), entry);
    }
    return entry.value();
  }
}
