package dev.updraft.core.engine;

/**
 * Receives {@link UpdraftEvent}s after the commit that made them succeeded, on the thread that made
 * the commit. A listener must be quick and must not throw; an exception it throws is logged and
 * swallowed, never undoing the commit.
 */
@FunctionalInterface
public interface EventListener {
  /**
   * Receives {@code event}, after its commit, on the committing thread.
   *
   * @param event what happened
   */
  void onEvent(UpdraftEvent event);

  /** {@return a listener that ignores every event} */
  static EventListener none() {
    return event -> {};
  }
}
