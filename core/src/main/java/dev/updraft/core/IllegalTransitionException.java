package dev.updraft.core;

/**
 * A status change the lifecycle does not allow, such as a finished device deployment asked to
 * become something else, or a finished deployment asked to abort.
 */
public final class IllegalTransitionException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;
  private final String from;
  private final String to;

  public IllegalTransitionException(String kind, String id, String from, String to) {
    super(kind + " " + id + " cannot go from " + from + " to " + to);
    this.kind = kind;
    this.id = id;
    this.from = from;
    this.to = to;
  }

  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}
