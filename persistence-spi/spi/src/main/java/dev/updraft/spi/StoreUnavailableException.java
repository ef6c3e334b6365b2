package dev.updraft.spi;

import org.jspecify.annotations.Nullable;

/**
 * The store cannot be reached (connection refused, database down, pool exhausted) and nothing of
 * the operation was applied. Transient by nature: the engine retries within its retry budget, then
 * passes it to the host.
 */
public class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * The store is unreachable, as {@code message} says, because of {@code cause}.
   *
   * @param message what happened
   * @param cause the underlying failure, if any
   */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
