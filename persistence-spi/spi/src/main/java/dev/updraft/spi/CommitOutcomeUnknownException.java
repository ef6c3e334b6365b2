package dev.updraft.spi;

import org.jspecify.annotations.Nullable;

/**
 * A commit whose outcome the store cannot tell: the connection broke after the change set was sent,
 * so it was either applied whole or not at all. The engine never retries it (a retry could apply a
 * decision twice); the host reads the records again to learn which, or lets its caller retry an
 * idempotent request.
 */
public class CommitOutcomeUnknownException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * The commit's outcome is unknown, as {@code message} says, because of {@code cause}.
   *
   * @param message what happened
   * @param cause the underlying failure, if any
   */
  public CommitOutcomeUnknownException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
