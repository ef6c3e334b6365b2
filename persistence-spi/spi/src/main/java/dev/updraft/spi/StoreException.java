package dev.updraft.spi;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure of a store: the engine and hosts catch this type to handle any of them.
 * Its subclasses say what the engine may do: a {@link StoreConflictException} is retried after a
 * fresh read, a {@link StoreUnavailableException} is retried within the engine's retry budget, and
 * a {@link CommitOutcomeUnknownException} is never retried, since the commit may have been applied.
 * An adapter's own failures (a schema it cannot use, a value its database refuses) extend this
 * class directly and reach the host unretried.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure described by {@code message}, caused by {@code cause} (the driver's, if any).
   *
   * @param message what happened
   * @param cause the underlying failure, if any
   */
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
