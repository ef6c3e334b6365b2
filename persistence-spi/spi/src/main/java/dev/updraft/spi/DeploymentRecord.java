package dev.updraft.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment: its definition (options and target, fixed at creation), its marks (paused, stopped,
 * finished, the guard's last trip), which change rarely, and the base of its counters: statistics
 * per status (keyed by Mender's status names), devices handed out, devices per phase (joined, tried
 * the update, succeeded), the guard's counts since the deployment started or last resumed. A
 * counter is its base plus the sum of the deployment's {@link DeploymentCountsRecord stripes}: the
 * record changes only when a mark does, not with every device that starts or reports. The target is
 * its kind ({@code DEVICE_LIST}, {@code STATIC_GROUP}, {@code ALL_DEVICES}, {@code DYNAMIC}); a
 * snapshot's device ids are {@link TargetRecord}s.
 *
 * @param id the id
 * @param version the record's version, from 1
 * @param name the name
 * @param releaseName the name of the release deployed
 * @param created when it was created
 * @param sequence a number increasing with creation, breaking ties
 * @param targetKind what the deployment targets
 * @param group the static group's name
 * @param filter the filter
 * @param initialDeviceCount the devices the target resolved to at creation
 * @param fingerprint what identifies the target, for the identical-deployment claim
 * @param phases the phases
 * @param retries how many retries
 * @param maxDevices the most devices the deployment takes, if set
 * @param forceInstallation whether to install over the same artifact name
 * @param guard the rollout guard, if any
 * @param progressTimeout the longest an open record may go without a report, if set
 * @param statistics the count of each device deployment status, by status name
 * @param handedOut devices that got a device deployment
 * @param phaseCounts devices that joined each phase
 * @param phaseTried devices of each phase that tried the update
 * @param phaseSucceeded devices of each phase that succeeded
 * @param guardTried devices the guard counted since the start or the last resume
 * @param guardFailed failures counted by the guard since the start or the last resume
 * @param guardTrip the guard's last trip, if any
 * @param paused whether the deployment is paused
 * @param stopped whether the deployment was aborted or stopped
 * @param finished when it finished, absent while open
 * @param stripes how many stripes its counters are spread over (0 in a body written before stripes,
 *     read as 1)
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
    Optional<Instant> finished,
    int stripes)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param id the id
   * @param version the record's version, from 1
   * @param name the name
   * @param releaseName the name of the release deployed
   * @param created when it was created
   * @param sequence a number increasing with creation, breaking ties
   * @param targetKind what the deployment targets
   * @param group the static group's name
   * @param filter the filter
   * @param initialDeviceCount the devices the target resolved to at creation
   * @param fingerprint what identifies the target, for the identical-deployment claim
   * @param phases the phases
   * @param retries how many retries
   * @param maxDevices the most devices the deployment takes, if set
   * @param forceInstallation whether to install over the same artifact name
   * @param guard the rollout guard, if any
   * @param progressTimeout the longest an open record may go without a report, if set
   * @param statistics the count of each device deployment status, by status name
   * @param handedOut devices that got a device deployment
   * @param phaseCounts devices that joined each phase
   * @param phaseTried devices of each phase that tried the update
   * @param phaseSucceeded devices of each phase that succeeded
   * @param guardTried devices the guard counted since the start or the last resume
   * @param guardFailed failures counted by the guard since the start or the last resume
   * @param guardTrip the guard's last trip, if any
   * @param paused whether the deployment is paused
   * @param stopped whether the deployment was aborted or stopped
   * @param finished when it finished, absent while open
   * @param stripes how many stripes its counters are spread over (0 in a body written before
   *     stripes, read as 1)
   */
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
   *
   * @param maxFailureRatio the largest failure ratio
   * @param minSample the smallest sample
   * @param action what a trip does
   */
  public record GuardRecord(double maxFailureRatio, long minSample, String action) {}

  /**
   * When a guard tripped: the failures among the devices that tried the update.
   *
   * @param at when
   * @param failed how many failed
   * @param tried how many tried
   * @param action what a trip does
   */
  public record GuardTripRecord(long failed, long tried, Instant at, String action) {}

  @Override
  public String key() {
    return id;
  }

  /** {@return how many stripes its counters are spread over: at least 1} */
  public int stripeCount() {
    return Math.max(1, stripes);
  }

  /** {@return whether the deployment has not finished} */
  public boolean active() {
    return finished.isEmpty();
  }
}
