package dev.updraft.core.engine;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** One page of a listing, and the cursor for the next (absent at the end). Cursors are opaque. */
@Value.Immutable
public abstract class ResultPage<T> {
  ResultPage() {}

  @Value.Parameter
  public abstract List<T> items();

  @Value.Parameter
  public abstract Optional<String> next();

  public static <T> ResultPage<T> of(List<T> items, Optional<String> next) {
    return new ImmutableResultPage<>(items, next);
  }
}
