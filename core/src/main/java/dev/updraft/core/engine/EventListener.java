package dev.updraft.core.engine;

/**
 * Receives {@link UpdraftEvent}s after the commit that made them succeeded, on the thread that made
 * the commit. A listener must be quick and must not throw; an exception it throws is logged and
 * swallowed, never undoing the commit. It hears only this process's commits, and nothing a crash
 * interrupted between a commit and its listener: a consumer that must not miss an event reads the
 * feed ({@link Updraft#events}), where every commit stored its events.
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
