package dev.updraft.jdbc;

import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.tck.GoldenRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the golden corpus of the current body format: run once when a format is introduced ({@code
 * java -cp <test classpath> dev.updraft.jdbc.GoldenCorpusWriter <directory>}), then commit the
 * files; they are never rewritten.
 */
final class GoldenCorpusWriter {
  private GoldenCorpusWriter() {}

  public static void main(String[] args) throws IOException {
    Path directory = Files.createDirectories(Path.of(args[0]));
    RecordCodec codec = new RecordCodec();
    for (Map.Entry<RecordType<?>, StoredRecord> golden :
        GoldenRecords.all(RecordCodec.FORMAT).entrySet()) {
      Files.writeString(
          directory.resolve(golden.getKey().name() + ".json"),
          codec.encode(golden.getValue()) + "\n");
    }
  }
}
