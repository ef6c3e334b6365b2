package dev.updraft.spi;

import java.util.List;
import java.util.Map;

/**
 * One stripe of a deployment's counters. A deployment's counters are the sum of its base (the ones
 * on its {@link DeploymentRecord}) and of its stripes, {@link DeploymentRecord#stripes()} of them,
 * numbered from 0: devices starting and reporting in one deployment each change one stripe, so
 * their commits do not queue on one record. A stripe's counts are changes since the base and may be
 * negative (a device counted {@code pending} in the base starts in some stripe); only the sum is a
 * count. A stripe no commit has written yet is absent and counts zero.
 *
 * <p>Its key is {@code deploymentId/stripe}; {@link Index#COUNTS_BY_DEPLOYMENT} lists a
 * deployment's stripes.
 *
 * @param deploymentId the deployment's id
 * @param stripe the stripe's number, from 0
 * @param version the record's version, from 1
 * @param statistics the change of each device deployment status count, by status name
 * @param handedOut the change of devices handed out
 * @param phaseCounts the change of devices that joined each phase
 * @param phaseTried the change of devices of each phase that tried the update
 * @param phaseSucceeded the change of devices of each phase that succeeded
 * @param guardTried the change of devices the guard counted
 * @param guardFailed the change of failures the guard counted
 */
public record DeploymentCountsRecord(
    String deploymentId,
    int stripe,
    long version,
    Map<String, Long> statistics,
    long handedOut,
    List<Long> phaseCounts,
    List<Long> phaseTried,
    List<Long> phaseSucceeded,
    long guardTried,
    long guardFailed)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param deploymentId the deployment's id
   * @param stripe the stripe's number, from 0
   * @param version the record's version, from 1
   * @param statistics the change of each device deployment status count, by status name
   * @param handedOut the change of devices handed out
   * @param phaseCounts the change of devices that joined each phase
   * @param phaseTried the change of devices of each phase that tried the update
   * @param phaseSucceeded the change of devices of each phase that succeeded
   * @param guardTried the change of devices the guard counted
   * @param guardFailed the change of failures the guard counted
   */
  public DeploymentCountsRecord {
    statistics = Map.copyOf(statistics);
    phaseCounts = List.copyOf(phaseCounts);
    phaseTried = List.copyOf(phaseTried);
    phaseSucceeded = List.copyOf(phaseSucceeded);
  }

  /**
   * {@return the key of stripe {@code stripe} of deployment {@code deploymentId}}
   *
   * @param deploymentId the deployment's id
   * @param stripe the stripe's number
   */
  public static String keyOf(String deploymentId, int stripe) {
    return deploymentId + "/" + stripe;
  }

  @Override
  public String key() {
    return keyOf(deploymentId, stripe);
  }
}
