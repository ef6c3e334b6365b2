package dev.updraft.core;

/**
 * An error about one entity: names its kind ({@code release}, {@code deployment}, {@code device
 * deployment}, …) and its key, so that a host can map it to an answer (404, 409) and a log line.
 */
public abstract class EntityException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;

  protected EntityException(String kind, String id, String message) {
    super(kind + " " + id + message);
    this.kind = kind;
    this.id = id;
  }

  /** What kind of entity, e.g. {@code artifact}. */
  public String kind() {
    return kind;
  }

  /** The entity's key. */
  public String id() {
    return id;
  }
}
