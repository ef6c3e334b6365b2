package dev.updraft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.spi.EventRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.tck.GoldenRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the JDBC store wrote keeps reading: the golden corpus holds a body of every record type in
 * every format the store has written; each must decode to {@link GoldenRecords}.
 */
class StoredFormatTest {
  private static final Path CORPUS = Path.of("src/test/resources/golden");

  private final RecordCodec codec = new RecordCodec();

  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {0, 1, 2})
  @DisplayName("every body of the golden corpus decodes to the record it was written from")
  void goldenCorpus_decodes(int format) throws IOException {
    for (Map.Entry<RecordType<?>, StoredRecord> golden : GoldenRecords.all(format).entrySet()) {
      RecordType<?> type = golden.getKey();
      String body =
          Files.readString(CORPUS.resolve("format-" + format).resolve(type.name() + ".json"))
              .strip();
      assertThat((Object) codec.decode(type, body)).as(type.name()).isEqualTo(golden.getValue());
    }
  }

  @Test
  @DisplayName("the corpus covers every record type, and every body written now carries its format")
  void corpusIsWhole() throws IOException {
    Map<RecordType<?>, StoredRecord> current = GoldenRecords.all(RecordCodec.FORMAT);
    assertThat(current.keySet()).containsExactlyElementsOf(RecordType.ALL);
    for (StoredRecord record : current.values()) {
      assertThat(codec.encode(record)).startsWith("{\"format\":" + RecordCodec.FORMAT + ",");
    }
    assertThat(Files.exists(CORPUS.resolve("format-" + RecordCodec.FORMAT)))
        .as("the corpus of the format written now")
        .isTrue();
  }

  @Test
  @DisplayName("the event body of the golden corpus decodes to the golden event, and encodes to it")
  void goldenEvent_decodes() throws IOException {
    String body = Files.readString(CORPUS.resolve("format-2").resolve("event.json")).strip();
    assertThat(codec.read("event", EventRecord.class, body)).isEqualTo(GoldenRecords.event());
    assertThat(codec.encode(GoldenRecords.event())).isEqualTo(body);
  }

  @Test
  @DisplayName("a body of a newer format is refused, naming its format, never misread")
  void newerFormat_isRefused() {
    String body =
        "{\"format\":" + (RecordCodec.FORMAT + 1) + ",\"name\":\"c\",\"version\":1,\"value\":1}";
    assertThatThrownBy(() -> codec.decode(RecordType.COUNTER, body))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("format " + (RecordCodec.FORMAT + 1))
        .hasMessageContaining("newer");
    assertThatThrownBy(() -> codec.decode(RecordType.COUNTER, "{\"format\":x,\"name\":\"c\"}"))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("no readable format");
  }

  /** A record type as it might be after gaining fields. */
  record Widened(String name, long version, Optional<String> added, Optional<List<String>> more) {}

  @Test
  @DisplayName("a record that gains Optional fields reads a body written before them, as empty")
  void addedField_readsOldBodies() {
    String old = codec.encode(new dev.updraft.spi.CounterRecord("c", 3, 9));
    String before = old.replace(",\"value\":9", "");

    Widened read = codec.read("counter", Widened.class, before);

    assertThat(read).isEqualTo(new Widened("c", 3, Optional.empty(), Optional.empty()));
  }
}
