package dev.updraft.core;

/** A referenced entity (a release, a deployment, a device, a filter) does not exist. */
public final class NotFoundException extends EntityException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String kind, String id) {
    super(kind, id, " not found");
  }
}
