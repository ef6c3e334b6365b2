package dev.updraft.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;

/** Records to JSON bodies and back (Jackson: records, {@code Optional}, {@code Instant}). */
final class RecordCodec {
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
    try {
      return mapper.readValue(body, type.recordClass());
    } catch (JsonProcessingException e) {
      throw new JdbcStoreException("cannot decode a stored " + type + " record", e);
    }
  }
}
