package dev.updraft.spi;

/** A named counter, e.g. the sequence that orders deployments created in the same instant. */
public record CounterRecord(String name, long version, long value) implements StoredRecord {
  @Override
  public String key() {
    return name;
  }
}
