package dev.updraft.core;

/**
 * The request clashes with what exists: an artifact whose depends overlap another's, a deployment
 * identical to an active one, a report on an aborted device deployment, a device that lost its
 * state in the middle of an update. Names the entity and says what it clashes with.
 */
public final class ConflictException extends EntityException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String kind, String id, String reason) {
    super(kind, id, ": " + reason);
  }
}
