package dev.updraft.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment with its options and the counters it keeps: statistics per status (keyed by Mender's
 * status names), devices handed out, devices per phase, and the paused, stopped and finished marks.
 * The target is its kind ({@code DEVICE_LIST}, {@code STATIC_GROUP}, {@code ALL_DEVICES}, {@code
 * DYNAMIC}); a snapshot's device ids are {@link TargetRecord}s.
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
    Map<String, Long> statistics,
    long handedOut,
    List<Long> phaseCounts,
    boolean paused,
    boolean stopped,
    Optional<Instant> finished)
    implements StoredRecord {
  public DeploymentRecord {
    phases = List.copyOf(phases);
    statistics = Map.copyOf(statistics);
    phaseCounts = List.copyOf(phaseCounts);
  }

  @Override
  public String key() {
    return id;
  }

  /** Whether the deployment has not finished. */
  public boolean active() {
    return finished.isEmpty();
  }
}
