package dev.updraft.spi;

/**
 * A named counter, e.g. the sequence that orders deployments created in the same instant.
 *
 * @param version the record's version, from 1
 * @param name the name
 * @param value the value
 */
public record CounterRecord(String name, long version, long value) implements StoredRecord {
  @Override
  public String key() {
    return name;
  }
}
