package dev.updraft.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment with its options and the counters it keeps: statistics per status (keyed by Mender's
 * status names), devices handed out, devices per phase (joined, tried the update, succeeded), the
 * guard's counts since the deployment started or last resumed and its last trip, and the paused,
 * stopped and finished marks. The target is its kind ({@code DEVICE_LIST}, {@code STATIC_GROUP},
 * {@code ALL_DEVICES}, {@code DYNAMIC}); a snapshot's device ids are {@link TargetRecord}s.
 */
public record DeploymentRecord(
    String id,
    long version,
    String name,
    String releaseName,
    Instant created,
    long sequence,
    String targetKind,
    Optional<String> group,
    Optional<FilterRecord> filter,
    long initialDeviceCount,
    String fingerprint,
    List<PhaseRecord> phases,
    int retries,
    Optional<Long> maxDevices,
    boolean forceInstallation,
    Optional<GuardRecord> guard,
    Optional<Duration> progressTimeout,
    Map<String, Long> statistics,
    long handedOut,
    List<Long> phaseCounts,
    List<Long> phaseTried,
    List<Long> phaseSucceeded,
    long guardTried,
    long guardFailed,
    Optional<GuardTripRecord> guardTrip,
    boolean paused,
    boolean stopped,
    Optional<Instant> finished)
    implements StoredRecord {
  public DeploymentRecord {
    phases = List.copyOf(phases);
    statistics = Map.copyOf(statistics);
    phaseCounts = List.copyOf(phaseCounts);
    phaseTried = List.copyOf(phaseTried);
    phaseSucceeded = List.copyOf(phaseSucceeded);
  }

  /**
   * A rollout guard: the failure ratio and sample that trip it, and the action ("PAUSE" or
   * "ABORT").
   */
  public record GuardRecord(double maxFailureRatio, long minSample, String action) {}

  /** When a guard tripped: the failures among the devices that tried the update. */
  public record GuardTripRecord(long failed, long tried, Instant at, String action) {}

  @Override
  public String key() {
    return id;
  }

  /** Whether the deployment has not finished. */
  public boolean active() {
    return finished.isEmpty();
  }
}
