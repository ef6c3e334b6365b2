package dev.updraft.core;

/** A referenced entity (a release, a deployment, a device, a filter) does not exist. */
public final class NotFoundException extends EntityException {
  private static final long serialVersionUID = 1L;

  /**
   * No {@code kind} entity has the key {@code id}.
   *
   * @param kind the kind of entity, e.g. {@code artifact}
   * @param id the id
   */
  public NotFoundException(String kind, String id) {
    super(kind, id, " not found");
  }
}
