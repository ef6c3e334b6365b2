package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.GuardTrip;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.deployment.Target;
import dev.updraft.core.deployment.TargetKind;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.internal.Builders;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.spi.ArtifactRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.DeploymentRecord.GuardRecord;
import dev.updraft.spi.DeploymentRecord.GuardTripRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.DeviceStateRecord;
import dev.updraft.spi.EventRecord;
import dev.updraft.spi.FilterRecord;
import dev.updraft.spi.LogRecord;
import dev.updraft.spi.PhaseRecord;
import dev.updraft.spi.PhaseRecord.GateRecord;
import dev.updraft.spi.ReleaseRecord;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Domain values to SPI records and back: the one place that knows both shapes. A record's version
 * is the caller's: {@code version} is the version the new record will have.
 */
final class Mapping {
  private Mapping() {}

  static DeviceRecord record(Device device, long version) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    device
        .attributes()
        .forEach(
            (key, value) ->
                attributes.put(key.scope().wireName() + "/" + key.name(), value.toJson()));
    return new DeviceRecord(
        device.id(),
        version,
        device.admission().wireName(),
        device.state().map(DeviceState::deviceType),
        device.state().map(DeviceState::artifactName),
        device.state().map(DeviceState::provides).orElse(Map.of()),
        attributes,
        device.staticGroup());
  }

  static Device device(DeviceRecord record) {
    Device.Builder device =
        Device.builder()
            .id(record.id())
            .admission(AdmissionStatus.fromWireName("admission", record.admission()));
    if (record.deviceType().isPresent() && record.artifactName().isPresent()) {
      device.state(
          DeviceState.of(
              record.deviceType().get(), record.artifactName().get(), record.provides()));
    }
    record.group().ifPresent(device::staticGroup);
    record
        .attributes()
        .forEach(
            (key, value) -> {
              int slash = key.indexOf('/');
              AttributeKey attribute =
                  AttributeKey.of(
                      Scope.fromWireName("scope", key.substring(0, slash)),
                      key.substring(slash + 1));
              device.putAttributes(attribute, AttributeValue.fromJson(key, value));
            });
    return device.build();
  }

  static ReleaseRecord record(Release release, long version) {
    return new ReleaseRecord(
        release.name(),
        version,
        release.artifacts().stream().map(Mapping::record).toList(),
        List.copyOf(release.tags()),
        release.notes());
  }

  private static ArtifactRecord record(Artifact artifact) {
    return new ArtifactRecord(
        artifact.id(),
        List.copyOf(artifact.deviceTypes()),
        artifact.depends(),
        artifact.provides(),
        artifact.clearsProvides(),
        artifact.payloadTypes(),
        artifact.size(),
        artifact.checksum(),
        artifact.location().toString());
  }

  static Release release(ReleaseRecord record) {
    Release release =
        Release.of(
            record.artifacts().stream()
                .map(
                    a ->
                        Artifact.builder()
                            .id(a.id())
                            .name(record.name())
                            .addAllDeviceTypes(a.deviceTypes())
                            .putAllDepends(a.depends())
                            .putAllProvides(a.provides())
                            .addAllClearsProvides(a.clearsProvides())
                            .addAllPayloadTypes(a.payloadTypes())
                            .size(a.size())
                            .checksum(a.checksum())
                            .location(URI.create(a.location()))
                            .build())
                .toList());
    return release.withTags(record.tags()).withNotes(record.notes());
  }

  static FilterRecord record(SavedFilter filter, long version) {
    return new FilterRecord(filter.id(), version, filter.name(), filter.filter().toJson());
  }

  static SavedFilter filter(FilterRecord record) {
    return SavedFilter.of(record.id(), record.name(), Filter.fromJson(record.terms()));
  }

  /**
   * The record of a new deployment: its counters as created are the base, spread over {@code
   * stripes} stripes from then on.
   *
   * @param deployment the deployment
   * @param stripes how many stripes its counters are spread over
   */
  static DeploymentRecord record(Deployment deployment, int stripes) {
    Target target = deployment.target();
    DeploymentOptions options = deployment.options();
    return new DeploymentRecord(
        deployment.id(),
        1,
        deployment.name(),
        deployment.releaseName(),
        deployment.created(),
        deployment.sequence(),
        target.kind().name(),
        target.group(),
        target.filter().map(filter -> record(filter, 1)),
        target.initialDeviceCount(),
        target.fingerprint(),
        options.phases().stream()
            .map(
                p ->
                    new PhaseRecord(
                        p.batchSize(),
                        p.start(),
                        p.gate().map(g -> new GateRecord(g.minSuccessRatio(), g.minSample()))))
            .toList(),
        options.retries(),
        options.maxDevices(),
        options.forceInstallation(),
        options
            .guard()
            .map(g -> new GuardRecord(g.maxFailureRatio(), g.minSample(), g.action().name())),
        options.progressTimeout(),
        deployment.statistics().toMap(),
        deployment.handedOut(),
        deployment.phaseCounts(),
        deployment.phaseTried(),
        deployment.phaseSucceeded(),
        deployment.guardTried(),
        deployment.guardFailed(),
        guardTrip(deployment),
        deployment.paused(),
        deployment.stopped(),
        deployment.finished(),
        stripes);
  }

  /**
   * The next version of {@code stored}, holding {@code deployment}'s marks. The definition (target
   * and options) and the base counters are {@code stored}'s: the definition never changes, and
   * counters change in stripes.
   *
   * @param deployment the deployment
   * @param stored the stored record
   */
  static DeploymentRecord record(Deployment deployment, DeploymentRecord stored) {
    return new DeploymentRecord(
        stored.id(),
        stored.version() + 1,
        stored.name(),
        stored.releaseName(),
        stored.created(),
        stored.sequence(),
        stored.targetKind(),
        stored.group(),
        stored.filter(),
        stored.initialDeviceCount(),
        stored.fingerprint(),
        stored.phases(),
        stored.retries(),
        stored.maxDevices(),
        stored.forceInstallation(),
        stored.guard(),
        stored.progressTimeout(),
        stored.statistics(),
        stored.handedOut(),
        stored.phaseCounts(),
        stored.phaseTried(),
        stored.phaseSucceeded(),
        stored.guardTried(),
        stored.guardFailed(),
        guardTrip(deployment),
        deployment.paused(),
        deployment.stopped(),
        deployment.finished(),
        stored.stripes());
  }

  private static Optional<GuardTripRecord> guardTrip(Deployment deployment) {
    return deployment
        .guardTrip()
        .map(t -> new GuardTripRecord(t.failed(), t.tried(), t.at(), t.action().name()));
  }

  /** The parts of a deployment fixed when it is created: what it targets and its options. */
  record Definition(Target target, DeploymentOptions options) {}

  static Definition definition(DeploymentRecord record) {
    Target.Builder target =
        Target.builder()
            .kind(TargetKind.valueOf(record.targetKind()))
            .initialDeviceCount(record.initialDeviceCount())
            .fingerprint(record.fingerprint());
    record.group().ifPresent(target::group);
    record.filter().map(Mapping::filter).ifPresent(target::filter);
    DeploymentOptions.Builder options =
        DeploymentOptions.builder()
            .retries(record.retries())
            .forceInstallation(record.forceInstallation());
    record.maxDevices().ifPresent(options::maxDevices);
    record
        .guard()
        .ifPresent(
            g ->
                options.guard(
                    Guard.of(g.maxFailureRatio(), g.minSample(), GuardAction.valueOf(g.action()))));
    record.progressTimeout().ifPresent(options::progressTimeout);
    record
        .phases()
        .forEach(
            p -> {
              Phase phase = Phase.of(p.batchSize(), p.start());
              options.addPhases(
                  p.gate()
                      .map(g -> phase.withGate(PhaseGate.of(g.minSuccessRatio(), g.minSample())))
                      .orElse(phase));
            });
    return new Definition(target.build(), options.build());
  }

  /**
   * The deployment of {@code record}, whose {@link #definition} is given (decoded once), with its
   * counters summed (see {@link StoredDeployment}).
   *
   * @param record the stored deployment
   * @param definition the deployment's target and options
   * @param counters the deployment's counters
   */
  static Deployment deployment(DeploymentRecord record, Definition definition, Counters counters) {
    Deployment.Builder deployment =
        Builders.deployment()
            .id(record.id())
            .name(record.name())
            .releaseName(record.releaseName())
            .target(definition.target())
            .created(record.created())
            .sequence(record.sequence())
            .options(definition.options())
            .statistics(counters.statistics())
            .handedOut(counters.handedOut)
            .addAllPhaseCounts(counters.phaseCounts())
            .addAllPhaseTried(counters.phaseTried())
            .addAllPhaseSucceeded(counters.phaseSucceeded())
            .guardTried(counters.guardTried)
            .guardFailed(counters.guardFailed)
            .paused(record.paused())
            .stopped(record.stopped());
    record.finished().ifPresent(deployment::finished);
    record
        .guardTrip()
        .ifPresent(
            t ->
                deployment.guardTrip(
                    GuardTrip.of(t.failed(), t.tried(), t.at(), GuardAction.valueOf(t.action()))));
    return deployment.build();
  }

  static DeviceDeploymentRecord record(DeviceDeployment record, long version) {
    return new DeviceDeploymentRecord(
        record.deviceId(),
        record.deploymentId(),
        version,
        record.artifactId(),
        record.status().wireName(),
        record.substatus(),
        record.created(),
        record.deploymentSequence(),
        record.started(),
        record.finished(),
        record.attempts(),
        record.logAvailable(),
        record
            .initialState()
            .map(s -> new DeviceStateRecord(s.deviceType(), s.artifactName(), s.provides())),
        record.phase(),
        record.deadline());
  }

  /**
   * The status a device deployment record holds.
   *
   * @param record the stored device deployment
   */
  static DeviceDeploymentStatus status(DeviceDeploymentRecord record) {
    return DeviceDeploymentStatus.fromWireName("status", record.status());
  }

  /**
   * The record of {@code event}, to append to the feed.
   *
   * @param event what happened
   */
  static EventRecord record(UpdraftEvent event) {
    return new EventRecord(
        0,
        event.id(),
        event.kind().name(),
        event.deploymentId(),
        event.deviceId(),
        event.from().map(DeviceDeploymentStatus::wireName),
        event.to().map(DeviceDeploymentStatus::wireName),
        event.at(),
        event.detail());
  }

  /**
   * The feed's event {@code record}.
   *
   * @param record an event of the feed
   */
  static FeedEvent event(EventRecord record) {
    return new FeedEvent(
        record.position(),
        UpdraftEvent.builder()
            .id(record.id())
            .kind(UpdraftEvent.Kind.valueOf(record.kind()))
            .deploymentId(record.deploymentId())
            .deviceId(record.deviceId())
            .from(record.from().map(s -> DeviceDeploymentStatus.fromWireName("from", s)))
            .to(record.to().map(s -> DeviceDeploymentStatus.fromWireName("to", s)))
            .at(record.at())
            .detail(record.detail())
            .build());
  }

  /**
   * The partition of {@link dev.updraft.spi.Index#DEVICE_DEPLOYMENTS_BY_STATUS} for a status.
   *
   * @param deploymentId the deployment's id
   * @param status the status
   */
  static String statusPartition(String deploymentId, DeviceDeploymentStatus status) {
    return deploymentId + "/" + status.wireName();
  }

  static DeviceDeployment deviceDeployment(DeviceDeploymentRecord record) {
    DeviceDeployment.Builder builder =
        Builders.deviceDeployment()
            .deviceId(record.deviceId())
            .deploymentId(record.deploymentId())
            .status(status(record))
            .substatus(record.substatus())
            .created(record.created())
            .deploymentSequence(record.sequence())
            .started(record.started())
            .attempts(record.attempts())
            .logAvailable(record.logAvailable());
    record.artifactId().ifPresent(builder::artifactId);
    record.finished().ifPresent(builder::finished);
    record
        .initialState()
        .ifPresent(
            s ->
                builder.initialState(
                    DeviceState.of(s.deviceType(), s.artifactName(), s.provides())));
    record.phase().ifPresent(builder::phase);
    record.deadline().ifPresent(builder::deadline);
    return builder.build();
  }

  static LogRecord record(String deploymentId, String deviceId, DeploymentLog log, long version) {
    return new LogRecord(
        deploymentId,
        deviceId,
        version,
        log.messages().stream()
            .map(m -> new LogRecord.Message(m.timestamp(), m.level(), m.text()))
            .toList());
  }

  static DeploymentLog log(LogRecord record) {
    return DeploymentLog.of(
        record.messages().stream()
            .map(m -> LogMessage.of(m.timestamp(), m.level(), m.message()))
            .toList());
  }
}
