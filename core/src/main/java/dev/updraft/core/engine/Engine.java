package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.Statistics;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.spi.UpdraftStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link Updraft} as the services by concern carry it out; this class only hands each call on. */
final class Engine implements Updraft {
  private final Devices devices;
  private final Groups groups;
  private final Releases releases;
  private final Deployments deployments;
  private final DeviceSide deviceSide;
  private final EventFeed feed;

  Engine(
      UpdraftStore store,
      Clock clock,
      Supplier<String> ids,
      EventListener listener,
      RetryPolicy retryPolicy,
      long eventRetention) {
    Context context =
        new Context(new Storage(store, retryPolicy, eventRetention), clock, ids, listener);
    this.feed = new EventFeed(context.storage);
    this.devices = new Devices(context);
    this.groups = new Groups(context);
    this.releases = new Releases(context);
    this.deployments = new Deployments(context);
    this.deviceSide = new DeviceSide(context);
  }

  @Override
  public Device register(String deviceId, Map<String, AttributeValue> identity) {
    return devices.register(deviceId, identity);
  }

  @Override
  public Device preauthorize(String deviceId, Map<String, AttributeValue> identity) {
    return devices.preauthorize(deviceId, identity);
  }

  @Override
  public Device setAdmission(String deviceId, AdmissionStatus admission) {
    return devices.setAdmission(deviceId, admission);
  }

  @Override
  public Device reportInventory(String deviceId, Map<String, AttributeValue> inventory) {
    return devices.reportInventory(deviceId, inventory);
  }

  @Override
  public Device updateState(String deviceId, DeviceState state) {
    return devices.updateState(deviceId, state);
  }

  @Override
  public Device setTags(String deviceId, Map<String, AttributeValue> tags) {
    return devices.setTags(deviceId, tags);
  }

  @Override
  public Device assignGroup(String deviceId, String group) {
    return devices.assignGroup(deviceId, group);
  }

  @Override
  public Device removeFromGroup(String deviceId) {
    return devices.removeFromGroup(deviceId);
  }

  @Override
  public Optional<Device> device(String deviceId) {
    return devices.device(deviceId);
  }

  @Override
  public ResultPage<Device> devices(PageRequest page) {
    return devices.devices(Optional.empty(), page);
  }

  @Override
  public ResultPage<Device> devices(Filter filter, PageRequest page) {
    return devices.devices(Optional.of(filter), page);
  }

  @Override
  public void decommission(String deviceId) {
    devices.decommission(deviceId);
  }

  @Override
  public void abortDeviceDeployments(String deviceId) {
    devices.abortDeployments(deviceId);
  }

  @Override
  public void resetHistory(String deviceId) {
    devices.resetHistory(deviceId);
  }

  @Override
  public ResultPage<Device> groupMembers(String group, PageRequest page) {
    return groups.members(group, page);
  }

  @Override
  public List<String> groups() {
    return groups.groups();
  }

  @Override
  public SavedFilter saveFilter(String name, Filter filter) {
    return groups.saveFilter(name, filter);
  }

  @Override
  public Optional<SavedFilter> filter(String filterId) {
    return groups.filter(filterId);
  }

  @Override
  public void deleteFilter(String filterId) {
    groups.deleteFilter(filterId);
  }

  @Override
  public ResultPage<SavedFilter> filters(PageRequest page) {
    return groups.filters(page);
  }

  @Override
  public ResultPage<Device> filterMatches(String filterId, PageRequest page) {
    SavedFilter saved =
        groups
            .filter(filterId)
            .orElseThrow(() -> new dev.updraft.core.NotFoundException("filter", filterId));
    return devices.devices(Optional.of(saved.filter()), page);
  }

  @Override
  public Release addArtifact(Artifact artifact) {
    return releases.addArtifact(artifact);
  }

  @Override
  public void removeArtifact(String artifactId) {
    releases.removeArtifact(artifactId);
  }

  @Override
  public Optional<Artifact> artifact(String artifactId) {
    return releases.artifact(artifactId);
  }

  @Override
  public Optional<Release> release(String name) {
    return releases.release(name);
  }

  @Override
  public ResultPage<Release> releases(PageRequest page) {
    return releases.releases(page);
  }

  @Override
  public Release tagRelease(String name, List<String> tags) {
    return releases.update(name, release -> release.withTags(tags));
  }

  @Override
  public Release annotateRelease(String name, String notes) {
    return releases.update(name, release -> release.withNotes(notes));
  }

  @Override
  public NewDeployment createDeployment(DeploymentRequest request) {
    return deployments.create(request);
  }

  @Override
  public DeploymentPreview preview(DeploymentRequest request) {
    return deployments.preview(request);
  }

  @Override
  public Optional<Deployment> deployment(String deploymentId) {
    return deployments.deployment(deploymentId);
  }

  @Override
  public DeploymentStatus deploymentStatus(String deploymentId) {
    return deployments.status(deploymentId);
  }

  @Override
  public ResultPage<Deployment> deployments(PageRequest page) {
    return deployments.deployments(DeploymentQuery.all(), page);
  }

  @Override
  public ResultPage<Deployment> deployments(DeploymentQuery query, PageRequest page) {
    return deployments.deployments(query, page);
  }

  @Override
  public Statistics statistics(String deploymentId) {
    return deployments.require(deploymentId).statistics();
  }

  @Override
  public ResultPage<DeviceDeployment> deviceDeployments(String deploymentId, PageRequest page) {
    return deployments.deviceDeployments(deploymentId, page);
  }

  @Override
  public ResultPage<DeviceDeployment> deviceDeployments(
      String deploymentId, DeviceDeploymentStatus status, PageRequest page) {
    return deployments.deviceDeployments(deploymentId, status, page);
  }

  @Override
  public Optional<DeviceDeployment> deviceDeployment(String deploymentId, String deviceId) {
    return deployments.deviceDeployment(deploymentId, deviceId);
  }

  @Override
  public ResultPage<DeviceDeployment> history(String deviceId, PageRequest page) {
    return deployments.history(deviceId, page);
  }

  @Override
  public Deployment abort(String deploymentId) {
    return deployments.abort(deploymentId);
  }

  @Override
  public Deployment stop(String deploymentId) {
    return deployments.stop(deploymentId);
  }

  @Override
  public Deployment pause(String deploymentId) {
    return deployments.change("pause", deploymentId, Deployment::pause);
  }

  @Override
  public Deployment resume(String deploymentId) {
    return deployments.change("resume", deploymentId, Deployment::resume);
  }

  @Override
  public int sweepTimeouts(int limit) {
    return deployments.sweepTimeouts(limit);
  }

  @Override
  public EventPage events(long after, int limit) {
    return feed.read(after, limit);
  }

  @Override
  public long eventCursor(String consumer) {
    return feed.cursor(consumer);
  }

  @Override
  public long acknowledgeEvents(String consumer, long position) {
    return feed.acknowledge(consumer, position);
  }

  @Override
  public PollDecision poll(String deviceId, DeviceState state) {
    return deviceSide.poll(deviceId, state);
  }

  @Override
  public DeviceDeployment report(
      String deviceId, String deploymentId, DeviceDeploymentStatus status) {
    return deviceSide.report(deviceId, deploymentId, status, "");
  }

  @Override
  public DeviceDeployment report(
      String deviceId, String deploymentId, DeviceDeploymentStatus status, String substatus) {
    return deviceSide.report(deviceId, deploymentId, status, substatus);
  }

  @Override
  public void uploadLog(String deploymentId, String deviceId, DeploymentLog log) {
    deviceSide.uploadLog(deploymentId, deviceId, log);
  }

  @Override
  public Optional<DeploymentLog> log(String deploymentId, String deviceId) {
    return deviceSide.log(deploymentId, deviceId);
  }

  @Override
  public Explanation explain(String deviceId) {
    return deviceSide.explain(deviceId, Optional.empty());
  }

  @Override
  public Explanation explain(String deviceId, DeviceState state) {
    return deviceSide.explain(deviceId, Optional.of(state));
  }
}
