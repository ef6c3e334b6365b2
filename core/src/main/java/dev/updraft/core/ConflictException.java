package dev.updraft.core;

/**
 * The request clashes with what exists: an artifact whose depends overlap another's, a deployment
 * identical to an active one, a report on an aborted device deployment, a device that lost its
 * state in the middle of an update. Names the entity and says what it clashes with.
 */
public final class ConflictException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;

  public ConflictException(String kind, String id, String reason) {
    super(kind + " " + id + ": " + reason);
    this.kind = kind;
    this.id = id;
  }

  /** The kind of entity in conflict, e.g. {@code artifact}. */
  public String kind() {
    return kind;
  }

  /** The key of the entity in conflict. */
  public String id() {
    return id;
  }
}
