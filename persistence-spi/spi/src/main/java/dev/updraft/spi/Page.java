package dev.updraft.spi;

import java.util.List;
import java.util.Optional;

/**
 * One page of an index scan: the records, in index order, and the cursor to pass for the next page
 * (absent when this page reached the end).
 */
public record Page<R>(List<R> items, Optional<String> next) {
  public Page {
    items = List.copyOf(items);
  }
}
