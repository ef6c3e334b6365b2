package dev.updraft.core;

/**
 * The root of every error Updraft throws. Unchecked: callers catch the subclass they can act on
 * ({@link InvalidInputException}, {@link NotFoundException}, {@link ConflictException}, {@link
 * IllegalTransitionException}) and let the rest propagate.
 */
public abstract class UpdraftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected UpdraftException(String message) {
    super(message);
  }

  protected UpdraftException(String message, Throwable cause) {
    super(message, cause);
  }
}
