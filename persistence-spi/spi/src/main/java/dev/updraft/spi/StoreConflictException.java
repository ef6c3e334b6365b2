package dev.updraft.spi;

/**
 * A commit refused because a record it names is not as the change set expects: an insert whose key
 * exists, an update or delete whose expected version is not the stored one (or whose record does
 * not exist). Nothing of the change set was applied. The engine reads again and retries.
 */
public final class StoreConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The name of the record's type, or {@code transaction}. */
  private final String recordType;

  /** The key of the record in conflict; empty for a transaction. */
  private final String key;

  /**
   * A conflict on the record of {@code type} under {@code key}, for {@code reason}.
   *
   * @param type the record type
   * @param key the record's key
   * @param reason the rule it breaks, e.g. {@code must not be blank}
   */
  public StoreConflictException(RecordType<?> type, String key, String reason) {
    super(type + " " + key + ": " + reason, null);
    this.recordType = type.name();
    this.key = key;
  }

  /**
   * A conflict the database reports for the whole transaction (a deadlock, a serialization failure)
   * without naming a record; {@link #recordType()} is {@code transaction}.
   *
   * @param reason the rule it breaks, e.g. {@code must not be blank}
   */
  public StoreConflictException(String reason) {
    super("transaction: " + reason, null);
    this.recordType = "transaction";
    this.key = "";
  }

  /** {@return the name of the record's type, e.g} {@code deployment}. */
  public String recordType() {
    return recordType;
  }

  /** {@return the key of the record in conflict} */
  public String key() {
    return key;
  }
}
