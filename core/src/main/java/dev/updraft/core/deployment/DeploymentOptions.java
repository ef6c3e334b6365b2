package dev.updraft.core.deployment;

import com.google.common.collect.ImmutableList;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How a deployment rolls out: phases, retries, a maximum number of devices, and forced installation
 * [M]; a rollout guard and a progress timeout [U].
 */
@Value.Immutable
public abstract class DeploymentOptions {
  DeploymentOptions() {}

  /** The most phases a deployment may have [U]. */
  public static final int MAX_PHASES = 100;

  /** The most retries a deployment may allow [U]. */
  public static final int MAX_RETRIES = 100;

  private static final DeploymentOptions DEFAULTS = builder().build();

  /** {@return the phases, in order; empty means one phase of every device, starting at creation} */
  public abstract List<Phase> phases();

  /**
   * {@return how many times a device may retry after a failure: {@code r} allows {@code r + 1}
   * attempts}
   */
  @Value.Default
  public int retries() {
    return 0;
  }

  /**
   * {@return the number of devices the deployment hands out at most; it finishes when that many
   * have finished [M enterprise]}
   */
  public abstract Optional<Long> maxDevices();

  /**
   * {@return a rollout guard that pauses or aborts the deployment when too many devices fail [U]}
   */
  public abstract Optional<Guard> guard();

  /**
   * {@return the longest an open device deployment may go without a report before it fails with
   * substatus {@code timed out} [U]}
   */
  public abstract Optional<Duration> progressTimeout();

  /** {@return whether to install even when the device already runs the release's artifact name} */
  @Value.Default
  public boolean forceInstallation() {
    return false;
  }

  /**
   * {@return the options of a plain deployment: no phases, no retries, no maximum, no guard, no
   * timeout}
   */
  public static DeploymentOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder of options; every option has a default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return each phase's capacity for {@code total} targeted devices [M enterprise]: {@code
   * floor(total × size / 100)}, the last phase taking the rest} A phase that would get 0 devices is
   * invalid input naming it. Without phases, one phase holds everything.
   *
   * @param total the devices the target resolved to
   */
  public List<Long> capacities(long total) {
    if (phases().isEmpty()) {
      return List.of(total);
    }
    ImmutableList.Builder<Long> capacities = ImmutableList.builder();
    long assigned = 0;
    for (int index = 0; index < phases().size(); index++) {
      boolean last = index == phases().size() - 1;
      long capacity = last ? total - assigned : total * phases().get(index).batchSize().get() / 100;
      if (capacity == 0) {
        throw new InvalidInputException(
            "phases[" + index + "]",
            phases()
                .get(index)
                .batchSize()
                .map(size -> size + "% of " + total)
                .orElse("the rest of " + total),
            "would get 0 devices");
      }
      assigned += capacity;
      capacities.add(capacity);
    }
    return capacities.build();
  }

  @Value.Check
  void check() {
    Checks.range("retries", retries(), 0, MAX_RETRIES);
    maxDevices().ifPresent(max -> Checks.range("max_devices", max, 1, Long.MAX_VALUE));
    Checks.size("phases", phases(), 0, MAX_PHASES);
    progressTimeout()
        .ifPresent(
            timeout -> {
              if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException(
                    "progress_timeout", timeout, "must be longer than zero");
              }
            });
    if (!phases().isEmpty() && phases().get(0).gate().isPresent()) {
      throw new InvalidInputException(
          "phases[0].gate", phases().get(0).gate().get(), "the first phase has no previous one");
    }
    int sum = 0;
    Instant previous = null;
    for (int index = 0; index < phases().size(); index++) {
      Phase phase = phases().get(index);
      String field = "phases[" + index + "]";
      boolean last = index == phases().size() - 1;
      if (phase.batchSize().isEmpty() && !last) {
        throw new InvalidInputException(
            field + ".batch_size", null, "is required but for the last phase");
      }
      if (phase.start().isEmpty() && index > 0) {
        throw new InvalidInputException(
            field + ".start_ts", null, "is required but for the first phase");
      }
      sum += phase.batchSize().orElse(0);
      if (phase.start().isPresent()) {
        if (previous != null && !phase.start().get().isAfter(previous)) {
          throw new InvalidInputException(
              field + ".start_ts", phase.start().get(), "must be after the previous phase's start");
        }
        previous = phase.start().get();
      }
    }
    boolean lastSized =
        !phases().isEmpty() && phases().get(phases().size() - 1).batchSize().isPresent();
    if (lastSized ? sum != 100 : sum > 100) {
      throw new InvalidInputException(
          "phases",
          sum + "%",
          lastSized ? "batch sizes must add up to 100" : "batch sizes must add up to at most 100");
    }
  }

  /** Builds {@link DeploymentOptions}; see {@link #builder()}. */
  public static final class Builder extends ImmutableDeploymentOptions.Builder {
    Builder() {}
  }
}
