package dev.updraft.core.group;

import dev.updraft.core.internal.Checks;
import org.immutables.value.Value;

/** A named, saved filter: Mender's dynamic group [M]. Names are unique within a fleet. */
@Value.Immutable
public abstract class SavedFilter {
  SavedFilter() {}

  /** The longest filter name accepted. */
  public static final int MAX_NAME_LENGTH = 256;

  /** {@return the filter's id} */
  @Value.Parameter
  public abstract String id();

  /** {@return the filter's unique name} */
  @Value.Parameter
  public abstract String name();

  /** {@return the filter's terms} */
  @Value.Parameter
  public abstract Filter filter();

  /**
   * {@return a filter saved under {@code name}}
   *
   * @param id the filter's id
   * @param name the filter's unique name
   * @param filter the filter's terms
   */
  public static SavedFilter of(String id, String name, Filter filter) {
    return new ImmutableSavedFilter(id, name, filter);
  }

  @Value.Check
  void check() {
    Checks.text("filter id", id(), MAX_NAME_LENGTH);
    Checks.text("name", name(), MAX_NAME_LENGTH);
  }
}
