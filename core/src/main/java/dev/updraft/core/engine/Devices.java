package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.Filter;
import dev.updraft.core.rollout.Outcome;
import dev.updraft.core.rollout.Rollout;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.DeviceRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import dev.updraft.spi.TargetRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The devices: admission, identity, inventory, state, tags, listing and decommissioning. */
final class Devices {
  private final Context context;
  private final Storage storage;

  Devices(Context context) {
    this.context = context;
    this.storage = context.storage;
  }

  Device register(String deviceId, Map<String, AttributeValue> identity) {
    return storage.retrying(
        "register",
        () -> {
          Optional<DeviceRecord> stored = storage.get(RecordType.DEVICE, deviceId);
          Device device =
              stored
                  .map(Mapping::device)
                  .orElseGet(() -> Device.of(deviceId, AdmissionStatus.PENDING))
                  .withAttributes(Scope.IDENTITY, identity);
          if (device.admission() == AdmissionStatus.PREAUTHORIZED) {
            device = device.withAdmission(AdmissionStatus.ACCEPTED);
          }
          return save(stored, device);
        });
  }

  Device preauthorize(String deviceId, Map<String, AttributeValue> identity) {
    Device device =
        Device.of(deviceId, AdmissionStatus.PREAUTHORIZED).withAttributes(Scope.IDENTITY, identity);
    try {
      storage.commit(ChangeSet.create().insert(RecordType.DEVICE, Mapping.record(device, 1)));
    } catch (StoreConflictException exists) {
      throw new ConflictException("device", deviceId, "exists");
    }
    return device;
  }

  Device setAdmission(String deviceId, AdmissionStatus admission) {
    return update("set admission", deviceId, device -> device.withAdmission(admission));
  }

  Device reportInventory(String deviceId, Map<String, AttributeValue> inventory) {
    Map<String, AttributeValue> rest = new LinkedHashMap<>(inventory);
    Optional<String> type = text(rest.remove(AttributeKey.DEVICE_TYPE.name()), "device_type");
    Optional<String> artifact =
        text(rest.remove(AttributeKey.ARTIFACT_NAME.name()), "artifact_name");
    if (type.isPresent() != artifact.isPresent()) {
      throw type.isPresent()
          ? new InvalidInputException("artifact_name", null, "is required with device_type")
          : new InvalidInputException("device_type", null, "is required with artifact_name");
    }
    return update(
        "report inventory",
        deviceId,
        device -> {
          Device updated = device.withAttributes(Scope.INVENTORY, rest);
          if (type.isPresent()) {
            Map<String, String> provides =
                device.state().map(DeviceState::provides).orElse(Map.of());
            updated = updated.withState(DeviceState.of(type.get(), artifact.get(), provides));
          }
          return updated;
        });
  }

  Device updateState(String deviceId, DeviceState state) {
    return update("update state", deviceId, device -> device.withState(state));
  }

  Device setTags(String deviceId, Map<String, AttributeValue> tags) {
    return update("set tags", deviceId, device -> device.withAttributes(Scope.TAGS, tags));
  }

  Device assignGroup(String deviceId, String group) {
    Device.checkGroupName("group", group);
    return update("assign group", deviceId, device -> device.inGroup(group));
  }

  Device removeFromGroup(String deviceId) {
    return update("remove from group", deviceId, Device::withoutGroup);
  }

  Optional<Device> device(String deviceId) {
    return storage.get(RecordType.DEVICE, deviceId).map(Mapping::device);
  }

  ResultPage<Device> devices(Optional<Filter> filter, PageRequest page) {
    return storage.page(
        Index.DEVICES_BY_ID,
        Index.ALL_PARTITION,
        Mapping::device,
        device -> filter.map(f -> f.matches(device)).orElse(true),
        page);
  }

  void decommission(String deviceId) {
    finish("decommission", deviceId, true);
  }

  void abortDeployments(String deviceId) {
    finish("abort device deployments", deviceId, false);
  }

  void resetHistory(String deviceId) {
    Commit done =
        storage.retrying(
            "reset history",
            () -> {
              Map<String, StoredDeployment> deployments = new HashMap<>();
              List<DeviceDeployment> finished = new ArrayList<>();
              List<DeviceDeploymentRecord> forgotten = new ArrayList<>();
              for (DeviceDeploymentRecord record :
                  storage.scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, deviceId)) {
                if (Mapping.status(record).isFinished()
                    && context.load(deployments, record.deploymentId()).record.active()) {
                  finished.add(Mapping.deviceDeployment(record));
                  forgotten.add(record);
                }
              }
              Instant now = context.clock.instant();
              Outcome outcome =
                  Rollout.resetHistory(
                      deviceId,
                      finished,
                      deployments.values().stream().map(StoredDeployment::deployment).toList(),
                      now);
              Commit commit = new Commit(context, now).apply(outcome, deployments, Map.of());
              for (DeviceDeploymentRecord record : forgotten) {
                commit.changes().delete(RecordType.DEVICE_DEPLOYMENT, record);
                storage
                    .get(RecordType.LOG, record.key())
                    .ifPresent(log -> commit.changes().delete(RecordType.LOG, log));
              }
              return commit.store();
            });
    done.publish();
  }

  /**
   * Finishes the device's part in its deployments, in one commit: decommissioned, with the device
   * deleted, or aborted, with the device kept (and not required to exist).
   */
  private void finish(String operation, String deviceId, boolean decommission) {
    Commit done =
        storage.retrying(
            operation,
            () -> {
              Optional<DeviceRecord> device =
                  decommission
                      ? Optional.of(context.require(RecordType.DEVICE, "device", deviceId))
                      : Optional.empty();
              List<DeviceDeploymentRecord> own =
                  storage.scanAll(Index.DEVICE_DEPLOYMENTS_BY_DEVICE, deviceId);
              Map<String, StoredDeployment> deployments = new HashMap<>();
              List<DeviceDeployment> open = new ArrayList<>();
              for (DeviceDeploymentRecord record : own) {
                if (Mapping.status(record).isOpen()) {
                  open.add(Mapping.deviceDeployment(record));
                  context.load(deployments, record.deploymentId());
                }
              }
              List<Deployment> unpolled = new ArrayList<>();
              for (TargetRecord target : storage.scanAll(Index.TARGETS_BY_DEVICE, deviceId)) {
                boolean polled =
                    own.stream().anyMatch(r -> r.deploymentId().equals(target.deploymentId()));
                StoredDeployment deployment = context.load(deployments, target.deploymentId());
                if (!polled && deployment.record.active()) {
                  unpolled.add(deployment.deployment());
                }
              }
              Instant now = context.clock.instant();
              List<Deployment> read =
                  deployments.values().stream().map(StoredDeployment::deployment).toList();
              Outcome outcome =
                  decommission
                      ? Rollout.decommission(deviceId, open, read, unpolled, now)
                      : Rollout.abortDevice(deviceId, open, read, unpolled, now);
              Commit commit = new Commit(context, now).apply(outcome, deployments, byKey(own));
              device.ifPresent(d -> commit.changes().delete(RecordType.DEVICE, d));
              return commit.store();
            });
    done.publish();
  }

  /**
   * Device deployment records by key.
   *
   * @param records the device's device deployments
   */
  static Map<String, DeviceDeploymentRecord> byKey(List<DeviceDeploymentRecord> records) {
    Map<String, DeviceDeploymentRecord> byKey = new HashMap<>();
    records.forEach(r -> byKey.put(r.key(), r));
    return byKey;
  }

  private Device save(Optional<DeviceRecord> stored, Device device) {
    ChangeSet changes = ChangeSet.create();
    if (stored.isEmpty()) {
      changes.insert(RecordType.DEVICE, Mapping.record(device, 1));
    } else {
      changes.update(
          RecordType.DEVICE, stored.get(), Mapping.record(device, stored.get().version() + 1));
    }
    storage.commit(changes);
    return device;
  }

  private Device update(String operation, String deviceId, UnaryOperator<Device> change) {
    return storage.retrying(
        operation,
        () -> {
          DeviceRecord stored = context.require(RecordType.DEVICE, "device", deviceId);
          return save(Optional.of(stored), change.apply(Mapping.device(stored)));
        });
  }

  private static Optional<String> text(@Nullable AttributeValue value, String field) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isList() || value.texts().isEmpty()) {
      throw new InvalidInputException(field, value, "must be a string");
    }
    return Optional.of(value.texts().get(0));
  }
}
