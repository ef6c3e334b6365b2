package dev.updraft.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records to JSON bodies and back (Jackson: records, {@code Optional}, {@code Instant}).
 *
 * <p>Every body opens with its format: {@code {"format":1,…}}. A body without one is format 0, what
 * the store wrote before formats were numbered (the same fields); a body of a format newer than
 * {@link #FORMAT} is refused, never misread. A record type may gain a field only as an {@code
 * Optional}, which reads as empty from an older body; the golden corpus in the tests holds a body
 * of every type in every format, and each must keep decoding.
 *
 * <p>Decoded records are kept by their body: a record is immutable and its body (which holds its
 * version) determines it, so a body read again, as the devices, deployments and releases every poll
 * reads are, is decoded once; comparing a body costs far less than decoding it. The cache is
 * direct-mapped (a body's hash picks its one slot, a newer body replaces the slot's): a hit takes
 * no lock and records nothing, so concurrent readers do not contend on it.
 */
final class RecordCodec {
  /**
   * The format this code writes, and the newest it reads. Format 2 added a deployment's {@code
   * stripes} and the {@code deployment_counts} type: code that reads format 1 refuses those bodies
   * by their number instead of failing on a field it does not know.
   */
  static final int FORMAT = 2;

  private static final String FORMAT_MARK = "{\"format\":";

  /** Slots of the cache (a power of two). */
  private static final int SLOTS = 1 << 15;

  /** Bodies longer than this are not kept: at most {@code SLOTS} times this, 128 MiB, is kept. */
  private static final int LONGEST_KEPT = 4096;

  private record Decoded(String body, StoredRecord record) {}

  private final AtomicReferenceArray<Decoded> decoded = new AtomicReferenceArray<>(SLOTS);

  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  /**
   * The body of a record, or of an event of the feed (its position is the row's, not the body's).
   */
  String encode(Object record) {
    try {
      // every record has fields: its JSON object is never empty
      return FORMAT_MARK + FORMAT + "," + mapper.writeValueAsString(record).substring(1);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + record, e);
    }
  }

  <R extends StoredRecord> R decode(RecordType<R> type, String body) {
    int slot = body.hashCode() & (SLOTS - 1);
    Decoded known = decoded.get(slot);
    if (known != null
        && type.recordClass().isInstance(known.record())
        && known.body().equals(body)) {
      return type.recordClass().cast(known.record());
    }
    R record = read(type.name(), type.recordClass(), body);
    if (body.length() <= LONGEST_KEPT) {
      decoded.set(slot, new Decoded(body, record));
    }
    return record;
  }

  /**
   * Reads a body of any format up to {@link #FORMAT} as a {@code type}; {@code kind} names the
   * record type in errors.
   */
  <T> T read(String kind, Class<T> type, String body) {
    String json = body;
    if (body.startsWith(FORMAT_MARK)) {
      int comma = body.indexOf(',', FORMAT_MARK.length());
      int format;
      try {
        format = Integer.parseInt(body.substring(FORMAT_MARK.length(), comma < 0 ? 0 : comma));
      } catch (RuntimeException e) {
        throw new JdbcStoreException("a stored " + kind + " body has no readable format", e);
      }
      if (format > FORMAT) {
        throw new JdbcStoreException(
            "a stored "
                + kind
                + " body is in format "
                + format
                + ", newer than this code reads ("
                + FORMAT
                + "): a newer Updraft wrote it",
            null);
      }
      json = "{" + body.substring(comma + 1);
    }
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new JdbcStoreException("cannot decode a stored " + kind + " record", e);
    }
  }
}
