package dev.updraft.core;

/**
 * A status change the lifecycle does not allow, such as a finished device deployment asked to
 * become something else, or a finished deployment asked to abort. Names both statuses.
 */
public final class IllegalTransitionException extends EntityException {
  private static final long serialVersionUID = 1L;

  /** The status the entity is in. */
  private final String from;

  /** The status it was asked to take. */
  private final String to;

  /**
   * The {@code kind} entity {@code id} cannot go from status {@code from} to {@code to}.
   *
   * @param kind the kind of entity, e.g. {@code artifact}
   * @param id the id
   * @param from the status before
   * @param to the status after
   */
  public IllegalTransitionException(String kind, String id, String from, String to) {
    super(kind, id, " cannot go from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  /** {@return the status the entity is in} */
  public String from() {
    return from;
  }

  /** {@return the status it was asked to take} */
  public String to() {
    return to;
  }
}
