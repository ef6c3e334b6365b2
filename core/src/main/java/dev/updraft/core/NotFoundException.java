package dev.updraft.core;

/** A referenced entity (a release, a deployment, a device, a filter) does not exist. */
public final class NotFoundException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;

  public NotFoundException(String kind, String id) {
    super(kind + " " + id + " not found");
    this.kind = kind;
    this.id = id;
  }

  /** What was looked for, e.g. {@code release}. */
  public String kind() {
    return kind;
  }

  /** The key that was looked for. */
  public String id() {
    return id;
  }
}
