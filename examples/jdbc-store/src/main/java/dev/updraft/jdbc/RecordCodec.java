package dev.updraft.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;

/**
 * Records to JSON bodies and back (Jackson: records, {@code Optional}, {@code Instant}). Decoded
 * records are kept by their body: a record is immutable and its body (which holds its version)
 * determines it, so a body read again, as the deployments, releases and devices every poll reads
 * are, is decoded once. Comparing a body costs far less than decoding it.
 */
final class RecordCodec {
  /** Bodies kept, in characters (at most about 64 MiB of text, with their records). */
  private static final long DECODED_CHARS = 32L << 20;

  private final Cache<String, StoredRecord> decoded =
      CacheBuilder.newBuilder()
          .maximumWeight(DECODED_CHARS)
          .<String, StoredRecord>weigher((body, record) -> body.length())
          .build();

  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  String encode(StoredRecord record) {
    try {
      return mapper.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + record.key(), e);
    }
  }

  <R extends StoredRecord> R decode(RecordType<R> type, String body) {
    StoredRecord known = decoded.getIfPresent(body);
    if (type.recordClass().isInstance(known)) {
      return type.recordClass().cast(known);
    }
    try {
      R record = mapper.readValue(body, type.recordClass());
      decoded.put(body, record);
      return record;
    } catch (JsonProcessingException e) {
      throw new JdbcStoreException("cannot decode a stored " + type + " record", e);
    }
  }
}
