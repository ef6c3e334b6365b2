package dev.updraft.core.group;

import dev.updraft.core.internal.Checks;
import org.immutables.value.Value;

/** A named, saved filter: Mender's dynamic group [M]. Names are unique within a fleet. */
@Value.Immutable
public abstract class SavedFilter {
  SavedFilter() {}

  /** The longest filter name accepted. */
  public static final int MAX_NAME_LENGTH = 256;

  @Value.Parameter
  public abstract String id();

  @Value.Parameter
  public abstract String name();

  @Value.Parameter
  public abstract Filter filter();

  public static SavedFilter of(String id, String name, Filter filter) {
    return new ImmutableSavedFilter(id, name, filter);
  }

  @Value.Check
  void check() {
    Checks.text("filter id", id(), MAX_NAME_LENGTH);
    Checks.text("name", name(), MAX_NAME_LENGTH);
  }
}
