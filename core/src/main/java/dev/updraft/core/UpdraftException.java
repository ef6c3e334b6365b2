package dev.updraft.core;

/**
 * The root of every error Updraft throws. Unchecked: callers catch the subclass they can act on
 * ({@link InvalidInputException}, {@link NotFoundException}, {@link ConflictException}, {@link
 * IllegalTransitionException}) and let the rest propagate.
 */
public abstract class UpdraftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error described by {@code message}.
   *
   * @param message what happened
   */
  protected UpdraftException(String message) {
    super(message);
  }

  /**
   * An error described by {@code message}, caused by {@code cause}.
   *
   * @param message what happened
   * @param cause the underlying failure, if any
   */
  protected UpdraftException(String message, Throwable cause) {
    super(message, cause);
  }
}
