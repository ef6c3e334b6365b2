package dev.updraft.core.deployment;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * One phase of a deployment now [U]: whether it is full, and, while it is closed, what it waits for
 * (its start time, the previous phase's gate, or an earlier phase). Open means started, past its
 * gate, with room.
 */
@Value.Immutable
public abstract class PhaseStatus {
  PhaseStatus() {}

  /** {@return the phase's position, from 0} */
  @Value.Parameter
  public abstract int index();

  /** {@return whether the phase has taken its share of devices} */
  @Value.Parameter
  public abstract boolean full();

  /** {@return what the phase waits for before it opens (its start, its gate), absent once open} */
  @Value.Parameter
  public abstract Optional<String> waitingFor();

  /**
   * {@return the status of phase {@code index}}
   *
   * @param index the phase's position, from 0
   * @param full whether the phase has taken its share of devices
   * @param waitingFor what the phase waits for before it opens (its start, its gate), absent once
   *     open
   */
  public static PhaseStatus of(int index, boolean full, Optional<String> waitingFor) {
    return new ImmutablePhaseStatus(index, full, waitingFor);
  }

  /** {@return whether devices may join the phase now} */
  public boolean isOpen() {
    return waitingFor().isEmpty() && !full();
  }
}
