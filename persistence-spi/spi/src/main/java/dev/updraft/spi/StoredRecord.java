package dev.updraft.spi;

/**
 * A record the store keeps: identified within its {@link RecordType} by {@link #key()}, and
 * versioned. The first version of a record is 1; each update stores the next version.
 */
public interface StoredRecord {
  /** {@return the key, unique within the record's type} */
  String key();

  /** {@return the version of this state of the record, from 1} */
  long version();
}
