package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.EventsTrimmedException;
import dev.updraft.core.IllegalTransitionException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.NotFoundException;
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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one entry point of Updraft's engine: devices, releases, groups and filters, deployments and
 * the device side (poll, report, log), over a host's {@link UpdraftStore}. Made by {@link
 * #builder}; an interface so that a host's own tests can stand in for it. Thread safe; several
 * instances (in one process or several) may share one store.
 *
 * <p>Every write reads what it needs (by key or by index, never by walking all records on a
 * device's hot path), asks the pure decisions of the domain packages, and writes the result in one
 * atomic commit; a conflict with a concurrent commit makes it read and decide again, as the {@link
 * RetryPolicy} allows. The events a commit makes are stored in it, in the feed ({@link #events}),
 * and go to the {@link EventListener} after it.
 *
 * <p>Errors: what the caller got wrong is an {@link dev.updraft.core.UpdraftException} naming the
 * field or entity and the value ({@link InvalidInputException}, {@link NotFoundException}, {@link
 * ConflictException}, {@link IllegalTransitionException}); what the store could not do is a {@link
 * dev.updraft.spi.StoreException}. A method that throws has committed nothing, except that a {@link
 * dev.updraft.spi.CommitOutcomeUnknownException} leaves its one commit applied or not.
 */
public interface Updraft {

  /**
   * A builder of an engine over {@code store}, the one required setting. The others default to the
   * system UTC clock, random UUIDs as ids, no listener, {@link RetryPolicy#defaults()} and an event
   * retention of {@value Builder#DEFAULT_RETENTION} events.
   *
   * @param store the host's store
   * @return the builder
   */
  static Builder builder(UpdraftStore store) {
    return new Builder(store);
  }

  /** Configures an {@link Updraft}; every setting but the store has a default. */
  final class Builder {
    private final UpdraftStore store;
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = () -> UUID.randomUUID().toString();
    private EventListener listener = EventListener.none();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private long eventRetention = DEFAULT_RETENTION;

    /** The events the feed keeps unless told otherwise. */
    public static final long DEFAULT_RETENTION = 1_000_000;

    private Builder(UpdraftStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Where the engine reads the time (deployment phases, deadlines, records); default UTC.
     *
     * @param clock where the time comes from
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where new deployment and filter ids come from; ids must be unique and contain no {@code /}
     * (an id with one is refused when made). Default: random UUIDs.
     *
     * @param ids where new ids come from
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Who receives the events of each commit; default none.
     *
     * @param listener who receives the events
     * @return this builder
     */
    public Builder listener(EventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How long and how an operation that lost a race retries; default {@link
     * RetryPolicy#defaults()}.
     *
     * @param retryPolicy how operations retry
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * How many of the newest events the feed keeps at least ({@link #events}); default {@value
     * #DEFAULT_RETENTION}. Once it holds a tenth more, the oldest are removed down to this many:
     * when the feed is read, and after every 1,024th commit that appended events, so the feed stays
     * bounded whether or not anyone reads it. A consumer that falls further behind is told so by an
     * {@link EventsTrimmedException}.
     *
     * @param events how many events to keep, 1 or more
     * @return this builder
     * @throws InvalidInputException when {@code events} is below 1
     */
    public Builder eventRetention(long events) {
      if (events < 1) {
        throw new InvalidInputException("eventRetention", events, "must be at least 1");
      }
      this.eventRetention = events;
      return this;
    }

    /**
     * The engine, as configured. Reads and writes nothing.
     *
     * @return the engine
     */
    public Updraft build() {
      return new Engine(store, clock, ids, listener, retryPolicy, eventRetention);
    }
  }

  // ---------------------------------------------------------------- devices

  /**
   * Registers a device asking to be admitted [M]: a new device is {@code pending}; a preauthorized
   * device becomes accepted; any other known device keeps its status. Its identity attributes are
   * replaced. Reads the device and commits it.
   *
   * @param deviceId the device's id
   * @param identity the device's identity attributes, by name
   * @return the device as stored
   * @throws InvalidInputException when the id or an attribute breaks its rules
   */
  Device register(String deviceId, Map<String, AttributeValue> identity);

  /**
   * Creates a device admitted in advance [M]; it becomes accepted when it registers. Commits the
   * new device.
   *
   * @param deviceId the device's id
   * @param identity the device's identity attributes, by name
   * @return the device as stored
   * @throws ConflictException when a device with this id exists
   * @throws InvalidInputException when the id or an attribute breaks its rules
   */
  Device preauthorize(String deviceId, Map<String, AttributeValue> identity);

  /**
   * Changes a device's admission status (accept, reject, …). Reads the device and commits it.
   *
   * @param deviceId the device's id
   * @param admission the admission status
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   */
  Device setAdmission(String deviceId, AdmissionStatus admission);

  /**
   * Replaces the inventory a device reports [M]. Mender's attributes {@code device_type} and {@code
   * artifact_name} (strings, both or neither) become the device's state, keeping its stored
   * provides; the others its inventory attributes. Reads the device and commits it.
   *
   * @param deviceId the device's id
   * @param inventory the inventory attributes, by name
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   * @throws InvalidInputException when one of {@code device_type} and {@code artifact_name} is
   *     given without the other, either is not a string, or an attribute breaks its rules
   */
  Device reportInventory(String deviceId, Map<String, AttributeValue> inventory);

  /**
   * Records what a device says it runs: device type, artifact name and provides (Mender's {@code
   * device_provides}). Polls do not store the state they carry, so a host calls this when it wants
   * the stored device to follow (on an inventory update, or after a successful update). Reads the
   * device and commits it.
   *
   * @param deviceId the device's id
   * @param state what the device runs: device type, artifact name, provides
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   */
  Device updateState(String deviceId, DeviceState state);

  /**
   * Replaces the tags users set on a device. Reads the device and commits it.
   *
   * @param deviceId the device's id
   * @param tags the tags, replacing the old
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   * @throws InvalidInputException when a tag breaks its rules
   */
  Device setTags(String deviceId, Map<String, AttributeValue> tags);

  /**
   * Puts a device in a static group, moving it out of any other [M]. Reads the device and commits
   * it.
   *
   * @param deviceId the device's id
   * @param group the static group's name
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   * @throws InvalidInputException when the group name breaks its rules
   */
  Device assignGroup(String deviceId, String group);

  /**
   * Takes a device out of its static group. Reads the device and commits it.
   *
   * @param deviceId the device's id
   * @return the device as stored
   * @throws NotFoundException when the device does not exist
   */
  Device removeFromGroup(String deviceId);

  /**
   * {@return the device with this id, if it exists} Reads one record.
   *
   * @param deviceId the device's id
   */
  Optional<Device> device(String deviceId);

  /**
   * {@return a page of the devices, by id}
   *
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Device> devices(PageRequest page);

  /**
   * {@return a page of the devices that match {@code filter}, by id} Reads devices in batches until
   * the page is full: a management call.
   *
   * @param filter the filter
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Device> devices(Filter filter, PageRequest page);

  /**
   * Decommissions a device [U]: its open device deployments finish as {@code decommissioned}, the
   * snapshot deployments it never polled count it as decommissioned, and the device is deleted, in
   * one commit. Reads the device, its device deployments and the deployments targeting it.
   *
   * @param deviceId the device's id
   * @throws NotFoundException when the device does not exist
   */
  void decommission(String deviceId);

  /**
   * Aborts a device's deployments [M]: its open device deployments finish as {@code aborted}, and
   * so does its part in the active snapshot deployments it is targeted by but never polled; the
   * deployments go on for their other devices. Deployments to a filter it has not polled yet may
   * still reach it. One commit; the device need not exist (nothing to abort then). Reads the
   * device's device deployments and the deployments targeting it.
   *
   * @param deviceId the device's id
   */
  void abortDeviceDeployments(String deviceId);

  /**
   * Resets a device's history [M]: its finished device deployments in active deployments go, and
   * what they counted with them (a snapshot target counts as pending again), so that the device
   * takes those deployments again, in the usual order, as it polls. Records of finished deployments
   * stay, as history and as what their statistics count [U]; a device that finished a deployment
   * newer than an active one still skips the older one. One commit; the device need not exist.
   * Reads the device's device deployments and their deployments.
   *
   * @param deviceId the device's id
   */
  void resetHistory(String deviceId);

  // ---------------------------------------------------------------- groups and filters

  /**
   * {@return a page of the members of a static group, by id}
   *
   * @param group the static group's name
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Device> groupMembers(String group, PageRequest page);

  /**
   * {@return the static groups that have members, by name} Reads every device: a management call.
   */
  List<String> groups();

  /**
   * Saves a filter under a unique name [M]. Commits the filter and a claim on its name.
   *
   * @param name the name
   * @param filter the filter
   * @return the saved filter, with its new id
   * @throws ConflictException when a filter has this name
   * @throws InvalidInputException when the name breaks its rules
   */
  SavedFilter saveFilter(String name, Filter filter);

  /**
   * {@return the saved filter with this id, if it exists} Reads one record.
   *
   * @param filterId the saved filter's id
   */
  Optional<SavedFilter> filter(String filterId);

  /**
   * Deletes a saved filter; deployments made from it keep their copy. Commits the deletion.
   *
   * @param filterId the saved filter's id
   * @throws NotFoundException when the filter does not exist
   */
  void deleteFilter(String filterId);

  /**
   * {@return a page of the saved filters, by name}
   *
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<SavedFilter> filters(PageRequest page);

  /**
   * {@return a page of the devices a saved filter matches now, by id: a management call}
   *
   * @param filterId the saved filter's id
   * @param page which page: the first, or the one after a cursor
   * @throws NotFoundException when the filter does not exist
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Device> filterMatches(String filterId, PageRequest page);

  // ---------------------------------------------------------------- releases

  /**
   * Adds an artifact to the release of its name, creating the release if needed [M]. Commits the
   * release and a claim on the artifact's id.
   *
   * @param artifact the artifact
   * @return the release with the artifact
   * @throws ConflictException when the artifact overlaps one of the release (same device type and
   *     depends) or its id is taken
   */
  Release addArtifact(Artifact artifact);

  /**
   * Removes an artifact [M]; the release goes when its last artifact does. Commits the release.
   *
   * @param artifactId the artifact's id
   * @throws NotFoundException when no release holds the artifact
   * @throws ConflictException when an unfinished deployment deploys its release
   */
  void removeArtifact(String artifactId);

  /**
   * {@return the artifact with this id, from the release that holds it} Reads one index entry.
   *
   * @param artifactId the artifact's id
   */
  Optional<Artifact> artifact(String artifactId);

  /**
   * {@return the release of this name, if it exists} Reads one record.
   *
   * @param name the name
   */
  Optional<Release> release(String name);

  /**
   * {@return a page of the releases, by name}
   *
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Release> releases(PageRequest page);

  /**
   * Replaces a release's tags [M]. Commits the release.
   *
   * @param name the name
   * @param tags the tags, replacing the old
   * @return the release as stored
   * @throws NotFoundException when the release does not exist
   * @throws InvalidInputException when a tag breaks its rules
   */
  Release tagRelease(String name, List<String> tags);

  /**
   * Replaces a release's notes [M]. Commits the release.
   *
   * @param name the name
   * @param notes the notes, replacing the old
   * @return the release as stored
   * @throws NotFoundException when the release does not exist
   * @throws InvalidInputException when the notes are too long
   */
  Release annotateRelease(String name, String notes);

  // ---------------------------------------------------------------- deployments

  /**
   * Creates a deployment [M]; see {@link Deployment#create} for what is refused. Reads the release,
   * the devices of the target and the creation counter; commits the deployment, its identity claim,
   * the counter and, for a snapshot target, the resolved devices, in one commit.
   *
   * @param request what to create: name, release, target, options
   * @return the deployment and the devices it resolved to
   * @throws NotFoundException when the release does not exist
   * @throws ConflictException when an identical deployment is active
   * @throws InvalidInputException when the request targets no device or breaks a rule
   */
  NewDeployment createDeployment(DeploymentRequest request);

  /**
   * {@return what {@code request} would create, without creating it [U]: the resolved device count,
   * the phase sizes, per device type how many devices no artifact fits, and the active deployments
   * that already target some of the devices} Refused as creation would be, except for an identical
   * active deployment. Reads as creation does, and the targets of each resolved device; commits
   * nothing.
   *
   * @param request what to create: name, release, target, options
   * @throws NotFoundException when the release does not exist
   * @throws InvalidInputException when the request targets no device or breaks a rule
   */
  DeploymentPreview preview(DeploymentRequest request);

  /**
   * {@return the deployment with this id, if it exists} Reads one record.
   *
   * @param deploymentId the deployment's id
   */
  Optional<Deployment> deployment(String deploymentId);

  /**
   * {@return a deployment's status now (scheduled, pending, in progress, paused or finished)} Reads
   * one record.
   *
   * @param deploymentId the deployment's id
   * @throws NotFoundException when the deployment does not exist
   */
  DeploymentStatus deploymentStatus(String deploymentId);

  /**
   * {@return a page of the deployments, oldest first}
   *
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Deployment> deployments(PageRequest page);

  /**
   * {@return a page of the deployments that match {@code query}, oldest first} Reads deployments in
   * batches until the page is full: a management call.
   *
   * @param query which deployments to list
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<Deployment> deployments(DeploymentQuery query, PageRequest page);

  /**
   * {@return a deployment's statistics, all 13 statuses [M]} Reads one record.
   *
   * @param deploymentId the deployment's id
   * @throws NotFoundException when the deployment does not exist
   */
  Statistics statistics(String deploymentId);

  /**
   * {@return a page of a deployment's device deployments in every status: by status (in the order
   * of {@link DeviceDeploymentStatus}), then by device id}
   *
   * @param deploymentId the deployment's id
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one this listing made
   */
  ResultPage<DeviceDeployment> deviceDeployments(String deploymentId, PageRequest page);

  /**
   * {@return a page of a deployment's device deployments in one status, by device id}
   *
   * @param deploymentId the deployment's id
   * @param status the status
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<DeviceDeployment> deviceDeployments(
      String deploymentId, DeviceDeploymentStatus status, PageRequest page);

  /**
   * {@return the device deployment of one device in one deployment, if it exists} Reads one record.
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  Optional<DeviceDeployment> deviceDeployment(String deploymentId, String deviceId);

  /**
   * {@return a page of a device's device deployments, oldest deployment first}
   *
   * @param deviceId the device's id
   * @param page which page: the first, or the one after a cursor
   * @throws InvalidInputException when the cursor is not one a listing made
   */
  ResultPage<DeviceDeployment> history(String deviceId, PageRequest page);

  /**
   * Aborts a deployment [M]: open device deployments become aborted, devices that never polled
   * never get it. Commits the deployment and its open device deployments in one commit.
   *
   * @param deploymentId the deployment's id
   * @return the deployment as stored
   * @throws NotFoundException when it does not exist
   * @throws IllegalTransitionException when it has finished
   */
  Deployment abort(String deploymentId);

  /**
   * Stops a dynamic deployment [M]: finishes it as {@link #abort} does.
   *
   * @param deploymentId the deployment's id
   * @return the deployment as stored
   * @throws NotFoundException when it does not exist
   * @throws InvalidInputException when it is not dynamic
   * @throws IllegalTransitionException when it has finished
   */
  Deployment stop(String deploymentId);

  /**
   * Pauses a deployment [U]: no new device starts; devices already in progress continue. Commits
   * the deployment.
   *
   * @param deploymentId the deployment's id
   * @return the deployment as stored
   * @throws NotFoundException when it does not exist
   * @throws IllegalTransitionException when it has finished
   */
  Deployment pause(String deploymentId);

  /**
   * Resumes a paused deployment [U], its guard counting afresh. Commits the deployment.
   *
   * @param deploymentId the deployment's id
   * @return the deployment as stored
   * @throws NotFoundException when it does not exist
   * @throws IllegalTransitionException when it has finished
   */
  Deployment resume(String deploymentId);

  /**
   * Fails open device deployments whose progress deadline has passed [U], with substatus {@code
   * timed out} (retries apply), reading only the deadline index: at most {@code limit} records,
   * most overdue first, each in its own commit. A host calls it on its own schedule, and again at
   * once while it returns {@code limit}.
   *
   * @param limit the most records to read
   * @return how many timed out
   * @throws InvalidInputException when {@code limit} is not between 1 and {@value
   *     PageRequest#MAX_LIMIT}
   */
  int sweepTimeouts(int limit);

  // ---------------------------------------------------------------- events

  /**
   * Up to {@code limit} events of the feed after position {@code after}, oldest first: what each
   * commit changed, stored in that commit (a crash never keeps a change without its event, or an
   * event without its change). Positions start at 1 and have no gap; a commit that depends on
   * another (read what it wrote) has later positions, so each device deployment's events, and a
   * deployment's own (created, started, paused, resumed, finished), come in the order they
   * happened; events of two devices changed at once may come in either order. A consumer keeps the
   * position it reached (its own, or with {@link #acknowledgeEvents}) and reads after it: it then
   * sees every event once, unless it crashed between handling events and keeping its position, when
   * it sees them again (at least once; {@link UpdraftEvent#id()} is the idempotency key). Reads the
   * feed's page and bounds (a shared database numbers the events committed since the last read
   * first) and applies its retention.
   *
   * @param after the last position read, 0 for the start
   * @param limit the most events to return, 1 to 10,000
   * @return the events, and the feed's last position (how far the consumer lags)
   * @throws EventsTrimmedException when events after {@code after} were removed by the retention
   *     before they were read ({@link Builder#eventRetention})
   * @throws InvalidInputException when {@code after} is negative or past the feed's last position,
   *     or {@code limit} is out of range
   */
  EventPage events(long after, int limit);

  /**
   * The position {@code consumer} last acknowledged: 0 for one that never did. Reads its cursor.
   *
   * @param consumer the consumer's name: 1 to 128 letters, digits, {@code . _ : -}
   * @return the position to read {@link #events} after
   * @throws InvalidInputException when the name is not one
   */
  long eventCursor(String consumer);

  /**
   * Moves {@code consumer}'s durable cursor to {@code position}, the last event it handled; several
   * consumers each have their own. A cursor never goes back: a lower position (a second node that
   * handled the same events, say) leaves it where it is. Reads the feed's bounds and the cursor,
   * and commits the cursor.
   *
   * @param consumer the consumer's name: 1 to 128 letters, digits, {@code . _ : -}
   * @param position the position of the last event handled
   * @return the cursor as it now is
   * @throws InvalidInputException when the name is not one, or {@code position} is negative or past
   *     the feed's last position
   */
  long acknowledgeEvents(String consumer, long position);

  // ---------------------------------------------------------------- device side

  /**
   * A device asks for its next update [M]; see {@link dev.updraft.core.rollout.Rollout#poll}. Reads
   * the device, the snapshot deployments that target it, the active dynamic ones whose filter it
   * matches and its own device deployments from the oldest active one of those on: never all
   * deployments or all devices. Commits the device deployment it starts or changes, with its
   * deployment, in one commit; commits nothing when nothing changed.
   *
   * @param deviceId the device's id
   * @param state what the device runs: device type, artifact name, provides
   * @return the decision: instructions to return, if any, and the reason
   */
  PollDecision poll(String deviceId, DeviceState state);

  /**
   * {@return a device reports the status of its device deployment [M], with no substatus; see
   * {@link #report(String, String, DeviceDeploymentStatus, String)}}
   *
   * @param deviceId the device's id
   * @param deploymentId the deployment's id
   * @param status the status
   */
  DeviceDeployment report(String deviceId, String deploymentId, DeviceDeploymentStatus status);

  /**
   * A device reports the status of its device deployment [M], with a substatus (free text from the
   * device); see {@link dev.updraft.core.rollout.Rollout#report}. Reads the device deployment and
   * its deployment; commits both (the statistics move) in one commit.
   *
   * @param deviceId the device's id
   * @param deploymentId the deployment's id
   * @param status the status
   * @param substatus free text from the device, empty for none
   * @return the device deployment as stored
   * @throws NotFoundException when the device has no device deployment in that deployment
   * @throws IllegalTransitionException when the device deployment cannot go to {@code status}
   * @throws ConflictException when the device deployment was aborted
   */
  DeviceDeployment report(
      String deviceId, String deploymentId, DeviceDeploymentStatus status, String substatus);

  /**
   * Stores the log a device uploaded for its device deployment, replacing the previous one [M].
   * Commits the log and marks the device deployment as having one.
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   * @param log the log the device uploaded
   * @throws NotFoundException when the device deployment does not exist
   */
  void uploadLog(String deploymentId, String deviceId, DeploymentLog log);

  /**
   * {@return the log of a device deployment, if one was uploaded} Reads one record.
   *
   * @param deploymentId the deployment's id
   * @param deviceId the device's id
   */
  Optional<DeploymentLog> log(String deploymentId, String deviceId);

  /**
   * Explains what a poll by the device, in the state stored for it, would decide now about every
   * active deployment, and why [U]; see {@link #explain(String, DeviceState)}.
   *
   * @param deviceId the device's id
   * @return a verdict for every active deployment, and the deployment a poll would offer
   * @throws NotFoundException when the device does not exist
   * @throws InvalidInputException when no state is stored for the device
   */
  Explanation explain(String deviceId);

  /**
   * Explains what a poll by the device in {@code state} would decide now about every active
   * deployment, and why [U]; see {@link dev.updraft.core.rollout.Rollout#explain}. Reads every
   * deployment: a management call. Commits nothing.
   *
   * @param deviceId the device's id
   * @param state what the device runs: device type, artifact name, provides
   * @return a verdict for every active deployment, and the deployment a poll would offer
   * @throws NotFoundException when the device does not exist
   */
  Explanation explain(String deviceId, DeviceState state);
}
