package dev.updraft.core;

/**
 * An error about one entity: names its kind ({@code release}, {@code deployment}, {@code device
 * deployment}, …) and its key, so that a host can map it to an answer (404, 409) and a log line.
 */
public abstract class EntityException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  /** The kind of entity. */
  private final String kind;

  /** The entity's key. */
  private final String id;

  /**
   * An error about the {@code kind} entity {@code id}; {@code message} follows its key.
   *
   * @param kind the kind of entity, e.g. {@code artifact}
   * @param id the id
   * @param message what happened
   */
  protected EntityException(String kind, String id, String message) {
    super(kind + " " + id + message);
    this.kind = kind;
    this.id = id;
  }

  /** {@return what kind of entity, e.g} {@code artifact}. */
  public String kind() {
    return kind;
  }

  /** {@return the entity's key} */
  public String id() {
    return id;
  }
}
