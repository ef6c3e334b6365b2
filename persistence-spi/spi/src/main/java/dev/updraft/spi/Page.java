package dev.updraft.spi;

import java.util.List;
import java.util.Optional;

/**
 * One page of an index scan: the records, in index order, and the cursor to pass for the next page
 * (absent when this page reached the end).
 *
 * @param items the records, in index order
 * @param next the cursor to pass for the next page, absent when this page reached the end
 * @param <R> the type of the records
 */
public record Page<R>(List<R> items, Optional<String> next) {
  /**
   * The page, its items copied: it cannot change once made.
   *
   * @param items the records, in index order
   * @param next the cursor to pass for the next page, absent when this page reached the end
   */
  public Page {
    items = List.copyOf(items);
  }
}
