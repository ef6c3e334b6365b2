package dev.updraft.core.engine;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** One page of a listing, and the cursor for the next (absent at the end). Cursors are opaque. */
@Value.Immutable
public abstract class ResultPage<T> {
  ResultPage() {}

  /** {@return the page's items, in the listing's order} */
  @Value.Parameter
  public abstract List<T> items();

  /** {@return the cursor of the next page, absent at the end of the listing} */
  @Value.Parameter
  public abstract Optional<String> next();

  /**
   * {@return a page of {@code items}, followed by the page after {@code next} if present}
   *
   * @param items the page's items, in the listing's order
   * @param next the cursor of the next page, absent at the end of the listing
   * @param <T> the type of the items
   */
  public static <T> ResultPage<T> of(List<T> items, Optional<String> next) {
    return new ImmutableResultPage<>(items, next);
  }
}
