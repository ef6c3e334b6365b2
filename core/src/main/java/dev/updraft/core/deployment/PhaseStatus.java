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

  @Value.Parameter
  public abstract int index();

  @Value.Parameter
  public abstract boolean full();

  @Value.Parameter
  public abstract Optional<String> waitingFor();

  public static PhaseStatus of(int index, boolean full, Optional<String> waitingFor) {
    return new ImmutablePhaseStatus(index, full, waitingFor);
  }

  public boolean isOpen() {
    return waitingFor().isEmpty() && !full();
  }
}
