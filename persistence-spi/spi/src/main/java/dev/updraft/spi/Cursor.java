package dev.updraft.spi;

/**
 * A position in an index partition: the sort key and record key of the last record returned.
 * Adapters encode it into the opaque cursor string of a {@link Page} with {@link #encode()}.
 *
 * @param sortKey the sort key of the last record returned
 * @param recordKey the key of the last record returned
 */
public record Cursor(String sortKey, String recordKey) implements Comparable<Cursor> {
  /**
   * {@return the cursor as an opaque string: {@code <length of sort key>:<sort key><record key>}}
   */
  public String encode() {
    return sortKey.length() + ":" + sortKey + recordKey;
  }

  /**
   * Reads a string made by {@link #encode()}; anything else is an illegal argument.
   *
   * @return the cursor
   * @param encoded an encoded cursor
   */
  public static Cursor decode(String encoded) {
    int colon = encoded.indexOf(':');
    try {
      int length = Integer.parseInt(encoded.substring(0, colon));
      return new Cursor(
          encoded.substring(colon + 1, colon + 1 + length), encoded.substring(colon + 1 + length));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a cursor: " + encoded, e);
    }
  }

  /**
   * @param other the other value
   */
  @Override
  public int compareTo(Cursor other) {
    int bySortKey = sortKey.compareTo(other.sortKey);
    return bySortKey != 0 ? bySortKey : recordKey.compareTo(other.recordKey);
  }
}
