package dev.updraft.core.rollout;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.device.Device;
import dev.updraft.core.release.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A single-threaded fleet for tests: plain maps holding what an engine would store, driven only
 * through {@link Rollout}'s decisions, so tests read as the scenarios of DOMAIN.md.
 */
final class Fleet {
  final Map<String, Device> devices = new LinkedHashMap<>();
  final Map<String, Release> releases = new HashMap<>();
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<String, Set<String>> snapshots = new HashMap<>();
  final Map<String, DeviceDeployment> records = new LinkedHashMap<>();
  private long sequence;

  Fleet add(Device device) {
    devices.put(device.id(), device);
    return this;
  }

  Fleet add(Release release) {
    releases.put(release.name(), release);
    return this;
  }

  Deployment deploy(String id, DeploymentRequest request, Instant now) {
    NewDeployment created =
        Deployment.create(
            request,
            Optional.ofNullable(releases.get(request.releaseName())),
            devices.values(),
            deployments.values(),
            id,
            now,
            ++sequence);
    deployments.put(id, created.deployment());
    snapshots.put(id, new HashSet<>(created.snapshot()));
    return created.deployment();
  }

  PollDecision poll(String deviceId, Instant now) {
    Optional<Device> device = Optional.ofNullable(devices.get(deviceId));
    return poll(deviceId, device.flatMap(Device::state).orElseThrow(), now);
  }

  /** What {@link #poll} would decide now, explained; changes nothing. */
  Explanation explain(String deviceId, dev.updraft.core.device.DeviceState state, Instant now) {
    return Rollout.explain(
        Optional.ofNullable(devices.get(deviceId)),
        state,
        recordsOf(deviceId),
        candidates(deviceId),
        now);
  }

  /** The active deployments, oldest first, as {@link Rollout#poll} takes them. */
  private List<Candidate> candidates(String deviceId) {
    List<Candidate> candidates = new ArrayList<>();
    List<Deployment> oldestFirst = new ArrayList<>(deployments.values());
    oldestFirst.sort(
        Comparator.comparing(Deployment::created).thenComparingLong(Deployment::sequence));
    for (Deployment deployment : oldestFirst) {
      if (!deployment.isActive()) {
        continue;
      }
      Release release = releases.get(deployment.releaseName());
      candidates.add(
          deployment.target().kind().isSnapshot()
              ? Candidate.snapshot(
                  deployment, release, snapshots.get(deployment.id()).contains(deviceId))
              : Candidate.dynamic(deployment, release));
    }
    return candidates;
  }

  PollDecision poll(String deviceId, dev.updraft.core.device.DeviceState state, Instant now) {
    PollDecision decision =
        Rollout.poll(
            Optional.ofNullable(devices.get(deviceId)),
            state,
            recordsOf(deviceId),
            candidates(deviceId),
            now);
    decision.record().ifPresent(this::store);
    decision.deployment().ifPresent(this::store);
    return decision;
  }

  Outcome report(String deviceId, String deploymentId, DeviceDeploymentStatus status, Instant now) {
    Outcome outcome =
        Rollout.report(
            deployments.get(deploymentId), record(deviceId, deploymentId), status, "", now);
    apply(outcome);
    return outcome;
  }

  Outcome timeout(String deviceId, String deploymentId, Instant now) {
    Outcome outcome =
        Rollout.timeout(deployments.get(deploymentId), record(deviceId, deploymentId), now);
    apply(outcome);
    return outcome;
  }

  void put(Deployment deployment) {
    store(deployment);
  }

  Outcome abort(String deploymentId, Instant now) {
    List<DeviceDeployment> open =
        records.values().stream()
            .filter(r -> r.deploymentId().equals(deploymentId) && r.isOpen())
            .toList();
    Outcome outcome = Rollout.abort(deployments.get(deploymentId), open, now);
    apply(outcome);
    return outcome;
  }

  Outcome decommission(String deviceId, Instant now) {
    List<DeviceDeployment> open =
        recordsOf(deviceId).stream().filter(DeviceDeployment::isOpen).toList();
    List<Deployment> unpolled =
        deployments.values().stream()
            .filter(d -> d.isActive() && d.target().kind().isSnapshot())
            .filter(d -> snapshots.get(d.id()).contains(deviceId))
            .filter(d -> !records.containsKey(deviceId + "/" + d.id()))
            .toList();
    Outcome outcome =
        Rollout.decommission(deviceId, open, List.copyOf(deployments.values()), unpolled, now);
    apply(outcome);
    devices.remove(deviceId);
    return outcome;
  }

  DeviceDeployment record(String deviceId, String deploymentId) {
    return records.get(deviceId + "/" + deploymentId);
  }

  Deployment deployment(String id) {
    return deployments.get(id);
  }

  List<DeviceDeployment> recordsOf(String deviceId) {
    return records.values().stream().filter(r -> r.deviceId().equals(deviceId)).toList();
  }

  private void apply(Outcome outcome) {
    outcome.deployments().forEach(this::store);
    outcome.records().forEach(this::store);
  }

  private void store(Deployment deployment) {
    deployments.put(deployment.id(), deployment);
  }

  private void store(DeviceDeployment record) {
    records.put(record.key(), record);
  }
}
