package dev.updraft.core;

/**
 * The request clashes with what exists: an artifact whose depends overlap another's, a deployment
 * identical to an active one, a report on an aborted device deployment, a device that lost its
 * state in the middle of an update. Names the entity and says what it clashes with.
 */
public final class ConflictException extends EntityException {
  private static final long serialVersionUID = 1L;

  /**
   * The {@code kind} entity {@code id} clashes with what exists, for {@code reason}.
   *
   * @param kind the kind of entity, e.g. {@code artifact}
   * @param id the id
   * @param reason the rule it breaks, e.g. {@code must not be blank}
   */
  public ConflictException(String kind, String id, String reason) {
    super(kind, id, ": " + reason);
  }
}
