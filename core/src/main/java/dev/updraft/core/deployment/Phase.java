package dev.updraft.core.deployment;

import dev.updraft.core.internal.Checks;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One phase of a phased rollout [M enterprise]: a batch size in percent of the targeted devices and
 * a start time. The first phase may omit its start (it starts at creation); the last may omit its
 * size (it takes the rest). A later phase may also have a gate [U]: a success ratio the previous
 * phase must reach first.
 */
@Value.Immutable
public abstract class Phase {
  Phase() {}

  /**
   * {@return the phase's share of the devices, in percent; absent for the last phase, which takes
   * the rest}
   */
  @Value.Parameter
  public abstract Optional<Integer> batchSize();

  /** {@return when the phase starts; absent for a first phase that starts at creation} */
  @Value.Parameter
  public abstract Optional<Instant> start();

  /**
   * {@return a gate the previous phase must pass before this one opens [U]; never on the first
   * phase}
   */
  public abstract Optional<PhaseGate> gate();

  /**
   * {@return a phase, as Mender's API gives one}
   *
   * @param batchSize the phase's share of the devices, in percent; absent for the last phase, which
   *     takes the rest
   * @param start when the phase starts; absent for a first phase that starts at creation
   */
  public static Phase of(Optional<Integer> batchSize, Optional<Instant> start) {
    return new ImmutablePhase(batchSize, start);
  }

  /**
   * {@return this phase, opening only when the previous one passes {@code gate}}
   *
   * @param gate a gate the previous phase must pass before this one opens [U]; never on the first
   *     phase
   */
  public Phase withGate(PhaseGate gate) {
    return ImmutablePhase.copyOf(this).withGate(gate);
  }

  /**
   * {@return a phase of {@code percent} starting at {@code start}}
   *
   * @param percent the phase's share of the devices, in percent
   * @param start when the phase starts; absent for a first phase that starts at creation
   */
  public static Phase of(int percent, Instant start) {
    return of(Optional.of(percent), Optional.of(start));
  }

  /**
   * {@return a first phase of {@code percent} that starts at creation}
   *
   * @param percent the phase's share of the devices, in percent
   */
  public static Phase first(int percent) {
    return of(Optional.of(percent), Optional.empty());
  }

  /**
   * {@return a last phase that takes the rest, starting at {@code start}}
   *
   * @param start when the phase starts; absent for a first phase that starts at creation
   */
  public static Phase rest(Instant start) {
    return of(Optional.empty(), Optional.of(start));
  }

  @Value.Check
  void check() {
    batchSize().ifPresent(size -> Checks.range("batch_size", size, 1, 100));
  }
}
