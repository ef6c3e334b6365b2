package dev.updraft.core.engine;

import dev.updraft.core.InvalidInputException;
import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a listing to return: the first, or the one after a cursor a previous page gave
 * ({@link ResultPage#next()}), with at most {@code limit} items. Cursors are opaque and stay valid
 * across writes: a listing is keyset-paged, so a page after a cursor starts after the item the
 * cursor points at, whatever was added or removed since. Immutable.
 */
public final class PageRequest {
  /** The largest page a listing returns. */
  public static final int MAX_LIMIT = 10_000;

  private final Optional<String> cursor;
  private final int limit;

  private PageRequest(Optional<String> cursor, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
    }
    this.cursor = cursor;
    this.limit = limit;
  }

  /**
   * {@return the first page, of at most {@code limit} items}
   *
   * @param limit the most items the page holds
   * @throws InvalidInputException when {@code limit} is not between 1 and {@value #MAX_LIMIT}
   */
  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }

  /**
   * {@return the page after {@code cursor}, of at most {@code limit} items} A cursor no listing
   * made is refused when the listing reads it, as an {@link InvalidInputException} naming {@code
   * cursor}.
   *
   * @param cursor the cursor of the item before the page; absent for the first page
   * @param limit the most items the page holds
   * @throws InvalidInputException when {@code limit} is not between 1 and {@value #MAX_LIMIT}
   */
  public static PageRequest after(String cursor, int limit) {
    return new PageRequest(Optional.of(Objects.requireNonNull(cursor, "cursor")), limit);
  }

  /** {@return the cursor of the item before the page; absent for the first page} */
  public Optional<String> cursor() {
    return cursor;
  }

  /** {@return the most items the page holds} */
  public int limit() {
    return limit;
  }

  /**
   * @param other the other value
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof PageRequest that && cursor.equals(that.cursor) && limit == that.limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(cursor, limit);
  }

  @Override
  public String toString() {
    return "PageRequest{"
        + cursor.map(c -> "after=" + c + ", ").orElse("")
        + "limit="
        + limit
        + "}";
  }
}
