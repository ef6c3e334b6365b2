package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.DeploymentRecord;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment's counters, or a change of them: the count of each device deployment status, devices
 * handed out, per phase devices joined, tried and succeeded, and the guard's tried and failed. A
 * change may count below zero; a deployment's total, its base plus its stripes, never does.
 */
final class Counters {
  private static final DeviceDeploymentStatus[] STATUSES = DeviceDeploymentStatus.values();

  private final long[] statistics;
  final long handedOut;
  private final long[] phaseCounts;
  private final long[] phaseTried;
  private final long[] phaseSucceeded;
  final long guardTried;
  final long guardFailed;

  private Counters(
      long[] statistics,
      long handedOut,
      long[] phaseCounts,
      long[] phaseTried,
      long[] phaseSucceeded,
      long guardTried,
      long guardFailed) {
    this.statistics = statistics;
    this.handedOut = handedOut;
    this.phaseCounts = phaseCounts;
    this.phaseTried = phaseTried;
    this.phaseSucceeded = phaseSucceeded;
    this.guardTried = guardTried;
    this.guardFailed = guardFailed;
  }

  /** {@return zero counters of a deployment with {@code phases} phases (1 without phases)} */
  static Counters zero(int phases) {
    return new Counters(
        new long[STATUSES.length], 0, new long[phases], new long[phases], new long[phases], 0, 0);
  }

  /** {@return the counters {@code deployment} holds} */
  static Counters of(Deployment deployment) {
    long[] statistics = new long[STATUSES.length];
    for (DeviceDeploymentStatus status : STATUSES) {
      statistics[status.ordinal()] = deployment.statistics().count(status);
    }
    return new Counters(
        statistics,
        deployment.handedOut(),
        array(deployment.phaseCounts(), deployment.phaseCounts().size()),
        array(deployment.phaseTried(), deployment.phaseCounts().size()),
        array(deployment.phaseSucceeded(), deployment.phaseCounts().size()),
        deployment.guardTried(),
        deployment.guardFailed());
  }

  /** {@return the base counters a deployment's record holds} */
  static Counters base(DeploymentRecord record, int phases) {
    return new Counters(
        statistics(record.statistics()),
        record.handedOut(),
        array(record.phaseCounts(), phases),
        array(record.phaseTried(), phases),
        array(record.phaseSucceeded(), phases),
        record.guardTried(),
        record.guardFailed());
  }

  /** {@return the change of counters a stripe holds} */
  static Counters of(DeploymentCountsRecord stripe, int phases) {
    return new Counters(
        statistics(stripe.statistics()),
        stripe.handedOut(),
        array(stripe.phaseCounts(), phases),
        array(stripe.phaseTried(), phases),
        array(stripe.phaseSucceeded(), phases),
        stripe.guardTried(),
        stripe.guardFailed());
  }

  /** {@return these counters as stripe {@code stripe} of a deployment, at {@code version}} */
  DeploymentCountsRecord record(String deploymentId, int stripe, long version) {
    Map<String, Long> byName = new LinkedHashMap<>();
    for (DeviceDeploymentStatus status : STATUSES) {
      if (statistics[status.ordinal()] != 0) {
        byName.put(status.wireName(), statistics[status.ordinal()]);
      }
    }
    return new DeploymentCountsRecord(
        deploymentId,
        stripe,
        version,
        byName,
        handedOut,
        list(phaseCounts),
        list(phaseTried),
        list(phaseSucceeded),
        guardTried,
        guardFailed);
  }

  /** {@return the statistics these counters hold: they count no status below zero} */
  Statistics statistics() {
    Map<DeviceDeploymentStatus, Long> counts = new LinkedHashMap<>();
    for (DeviceDeploymentStatus status : STATUSES) {
      counts.put(status, statistics[status.ordinal()]);
    }
    return Statistics.of(counts);
  }

  List<Long> phaseCounts() {
    return list(phaseCounts);
  }

  List<Long> phaseTried() {
    return list(phaseTried);
  }

  List<Long> phaseSucceeded() {
    return list(phaseSucceeded);
  }

  /** {@return devices that joined phase {@code phase}} */
  long phaseCount(int phase) {
    return phaseCounts[phase];
  }

  /** {@return how many phases these counters count} */
  int phases() {
    return phaseCounts.length;
  }

  Counters plus(Counters other) {
    return combine(other, 1);
  }

  Counters minus(Counters other) {
    return combine(other, -1);
  }

  /** {@return these counters without the devices they hand out and the phases devices join} */
  Counters withoutAdmissions() {
    return new Counters(
        statistics,
        0,
        new long[phaseCounts.length],
        phaseTried,
        phaseSucceeded,
        guardTried,
        guardFailed);
  }

  /** {@return a change that hands out {@code handedOut} devices and changes nothing else} */
  Counters onlyHandedOut() {
    return zero(phases()).combineHandedOut(handedOut);
  }

  /** {@return a change that adds only the devices joining phase {@code phase}} */
  Counters onlyPhaseCount(int phase) {
    Counters only = zero(phases());
    only.phaseCounts[phase] = phaseCounts[phase];
    return only;
  }

  /** {@return whether the guard's or the finished devices' counts change} */
  boolean changesGuardOrFinished() {
    if (guardTried != 0 || guardFailed != 0) {
      return true;
    }
    for (DeviceDeploymentStatus status : STATUSES) {
      if (status.isFinished() && statistics[status.ordinal()] != 0) {
        return true;
      }
    }
    return false;
  }

  boolean isZero() {
    return equals(zero(phases()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Counters that
        && Arrays.equals(statistics, that.statistics)
        && handedOut == that.handedOut
        && Arrays.equals(phaseCounts, that.phaseCounts)
        && Arrays.equals(phaseTried, that.phaseTried)
        && Arrays.equals(phaseSucceeded, that.phaseSucceeded)
        && guardTried == that.guardTried
        && guardFailed == that.guardFailed;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(statistics) * 31 + Long.hashCode(handedOut);
  }

  @Override
  public String toString() {
    return record("", 0, 0).toString();
  }

  private Counters combineHandedOut(long handed) {
    return new Counters(
        statistics, handed, phaseCounts, phaseTried, phaseSucceeded, guardTried, guardFailed);
  }

  private Counters combine(Counters other, int sign) {
    return new Counters(
        add(statistics, other.statistics, sign),
        handedOut + sign * other.handedOut,
        add(phaseCounts, other.phaseCounts, sign),
        add(phaseTried, other.phaseTried, sign),
        add(phaseSucceeded, other.phaseSucceeded, sign),
        guardTried + sign * other.guardTried,
        guardFailed + sign * other.guardFailed);
  }

  private static long[] add(long[] a, long[] b, int sign) {
    long[] sum = a.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += sign * b[i];
    }
    return sum;
  }

  private static long[] statistics(Map<String, Long> byName) {
    long[] array = new long[STATUSES.length];
    int found = 0;
    for (int i = 0; i < STATUSES.length && found < byName.size(); i++) {
      Long count = byName.get(STATUSES[i].wireName());
      if (count != null) {
        array[i] = count;
        found++;
      }
    }
    if (found != byName.size()) {
      throw new IllegalStateException("stored counts name an unknown status: " + byName.keySet());
    }
    return array;
  }

  /** The first {@code length} counts of {@code counts}, missing ones 0. */
  private static long[] array(List<Long> counts, int length) {
    long[] array = new long[length];
    for (int i = 0; i < Math.min(length, counts.size()); i++) {
      array[i] = counts.get(i);
    }
    return array;
  }

  private static List<Long> list(long[] counts) {
    return Arrays.stream(counts).boxed().toList();
  }
}
