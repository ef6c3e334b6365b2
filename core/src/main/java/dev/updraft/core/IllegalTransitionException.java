package dev.updraft.core;

/**
 * A status change the lifecycle does not allow, such as a finished device deployment asked to
 * become something else, or a finished deployment asked to abort. Names both statuses.
 */
public final class IllegalTransitionException extends EntityException {
  private static final long serialVersionUID = 1L;

  private final String from;
  private final String to;

  public IllegalTransitionException(String kind, String id, String from, String to) {
    super(kind, id, " cannot go from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}
