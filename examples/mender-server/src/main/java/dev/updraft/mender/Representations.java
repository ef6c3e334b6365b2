package dev.updraft.mender;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.deployment.TargetKind;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of Mender's API, made from Updraft's values. */
final class Representations {
  private Representations() {}

  static Map<String, Object> artifact(Artifact artifact, Instant modified, String description) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", artifact.id());
    json.put("name", artifact.name());
    json.put("description", description);
    json.put("device_types_compatible", List.copyOf(artifact.deviceTypes()));
    json.put("info", Map.of("format", "mender", "version", 3));
    json.put("signed", false);
    List<Object> updates = new ArrayList<>();
    for (String type : artifact.payloadTypes()) {
      updates.add(Map.of("type_info", Map.of("type", type), "files", List.of()));
    }
    json.put("updates", updates);
    Map<String, Object> provides = new LinkedHashMap<>();
    provides.put("artifact_name", artifact.name());
    provides.putAll(artifact.provides());
    json.put("artifact_provides", provides);
    Map<String, Object> depends = new LinkedHashMap<>();
    depends.put("device_type", List.copyOf(artifact.deviceTypes()));
    depends.putAll(artifact.depends());
    json.put("artifact_depends", depends);
    json.put("clears_artifact_provides", artifact.clearsProvides());
    json.put("size", artifact.size());
    json.put("checksum", artifact.checksum());
    json.put("modified", modified.toString());
    return json;
  }

  static Map<String, Object> release(
      Release release, Instant modified, Map<String, String> descriptions) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", release.name());
    json.put(
        "artifacts",
        release.artifacts().stream()
            .map(a -> artifact(a, modified, descriptions.getOrDefault(a.id(), "")))
            .toList());
    json.put("artifacts_count", release.artifacts().size());
    json.put("tags", List.copyOf(release.tags()));
    json.put("notes", release.notes());
    return json;
  }

  static Map<String, Object> deployment(Deployment deployment, Instant now) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", deployment.id());
    json.put("name", deployment.name());
    json.put("artifact_name", deployment.releaseName());
    json.put("created", deployment.created().toString());
    deployment.finished().ifPresent(f -> json.put("finished", f.toString()));
    json.put("status", deployment.status(now).wireName());
    json.put("device_count", deployment.statistics().total());
    json.put("max_devices", deployment.options().maxDevices().orElse(0L));
    json.put("initial_device_count", deployment.target().initialDeviceCount());
    json.put("retries", deployment.options().retries());
    json.put("type", "software");
    json.put("dynamic", deployment.target().kind() == TargetKind.DYNAMIC);
    deployment.target().group().ifPresent(g -> json.put("groups", List.of(g)));
    deployment.target().filter().ifPresent(f -> json.put("filter", filter(f)));
    json.put("statistics", Map.of("status", deployment.statistics().toMap()));
    json.put("paused", deployment.paused());
    deployment
        .options()
        .guard()
        .ifPresent(
            g ->
                json.put(
                    "guard",
                    Map.of(
                        "max_failure_ratio",
                        g.maxFailureRatio(),
                        "min_sample",
                        g.minSample(),
                        "action",
                        g.action().wireName())));
    deployment
        .guardTrip()
        .ifPresent(
            t ->
                json.put(
                    "guard_trip",
                    Map.of(
                        "failed",
                        t.failed(),
                        "tried",
                        t.tried(),
                        "at",
                        t.at().toString(),
                        "action",
                        t.action().wireName())));
    deployment
        .options()
        .progressTimeout()
        .ifPresent(t -> json.put("progress_timeout_seconds", t.toSeconds()));
    List<Object> phases = new ArrayList<>();
    List<Phase> declared = deployment.options().phases();
    List<PhaseStatus> statuses = deployment.phaseStatuses(now);
    for (int i = 0; i < declared.size(); i++) {
      Map<String, Object> phase = new LinkedHashMap<>();
      phase.put("id", deployment.id() + "-" + i);
      declared.get(i).batchSize().ifPresent(b -> phase.put("batch_size", b));
      phase.put("start_ts", deployment.phaseStart(i).toString());
      phase.put("device_count", deployment.phaseCounts().get(i));
      declared
          .get(i)
          .gate()
          .ifPresent(
              g ->
                  phase.put(
                      "gate",
                      Map.of(
                          "min_success_ratio", g.minSuccessRatio(), "min_sample", g.minSample())));
      PhaseStatus status = statuses.get(i);
      phase.put("open", status.isOpen());
      status.waitingFor().ifPresent(w -> phase.put("waiting_for", w));
      phases.add(phase);
    }
    if (!phases.isEmpty()) {
      json.put("phases", phases);
    }
    return json;
  }

  static Map<String, Object> deviceDeployment(DeviceDeployment record) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", record.deviceId());
    json.put("status", record.status().wireName());
    json.put("substate", record.substatus());
    json.put("created", record.created().toString());
    json.put("started", record.started().toString());
    record.finished().ifPresent(f -> json.put("finished", f.toString()));
    record.initialState().ifPresent(s -> json.put("device_type", s.deviceType()));
    json.put("log", record.logAvailable());
    json.put("attempts", record.attempts());
    record.artifactId().ifPresent(a -> json.put("image", Map.of("id", a)));
    return json;
  }

  /** A device's history entry: the device deployment with its deployment's id and name. */
  static Map<String, Object> history(DeviceDeployment record, Deployment deployment) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", record.deploymentId() + "/" + record.deviceId());
    json.put(
        "deployment",
        Map.of(
            "id", deployment.id(),
            "name", deployment.name(),
            "artifact_name", deployment.releaseName(),
            "created", deployment.created().toString()));
    json.put("device", deviceDeployment(record));
    return json;
  }

  static Map<String, Object> filter(SavedFilter filter) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", filter.id());
    json.put("name", filter.name());
    json.put("terms", filter.filter().toJson());
    return json;
  }

  /** Inventory v1: {@code {id, attributes: [{name, value, scope}]}}. */
  static Map<String, Object> inventoryDevice(Device device) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", device.id());
    List<Object> attributes = new ArrayList<>();
    device
        .state()
        .ifPresent(
            s -> {
              attributes.add(attribute(AttributeKey.DEVICE_TYPE, s.deviceType()));
              attributes.add(attribute(AttributeKey.ARTIFACT_NAME, s.artifactName()));
            });
    device.staticGroup().ifPresent(g -> attributes.add(attribute(AttributeKey.GROUP, g)));
    device
        .attributes()
        .forEach(
            (key, value) ->
                attributes.add(
                    Map.of(
                        "name",
                        key.name(),
                        "value",
                        value.toJson(),
                        "scope",
                        key.scope().wireName())));
    attributes.add(
        Map.of("name", "status", "value", device.admission().wireName(), "scope", "identity"));
    json.put("attributes", attributes);
    return json;
  }

  /** As above, showing only the {@code selected} attributes. */
  static Map<String, Object> inventoryDevice(Device device, List<AttributeKey> selected) {
    Map<String, Object> json = inventoryDevice(device);
    json.put(
        "attributes",
        ((List<?>) json.get("attributes"))
            .stream()
                .filter(
                    a -> {
                      Map<?, ?> attribute = (Map<?, ?>) a;
                      return selected.stream()
                          .anyMatch(
                              key ->
                                  key.name().equals(attribute.get("name"))
                                      && key.scope().wireName().equals(attribute.get("scope")));
                    })
                .toList());
    return json;
  }

  private static Map<String, Object> attribute(AttributeKey key, String value) {
    return Map.of("name", key.name(), "value", value, "scope", key.scope().wireName());
  }

  /**
   * Device authentication v2: {@code {id, identity_data, status, created_ts, auth_sets: [{id,
   * identity_data, pubkey, status, ts}]}}.
   */
  static Map<String, Object> authDevice(Device device, List<AuthSets.AuthSet> sets) {
    Map<String, Object> identity = new LinkedHashMap<>();
    device
        .attributes()
        .forEach(
            (key, value) -> {
              if (key.scope() == Scope.IDENTITY) {
                identity.put(key.name(), value.toJson());
              }
            });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", device.id());
    json.put("identity_data", identity);
    json.put("status", device.admission().wireName());
    sets.stream()
        .findFirst()
        .ifPresent(first -> json.put("created_ts", first.created().toString()));
    List<Object> authSets = new ArrayList<>();
    for (AuthSets.AuthSet set : sets) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", set.id());
      item.put("identity_data", identity);
      item.put("pubkey", set.pubkey());
      item.put("status", set.status().wireName());
      item.put("ts", set.created().toString());
      authSets.add(item);
    }
    json.put("auth_sets", authSets);
    json.put("decommissioning", false);
    return json;
  }

  static Map<String, AttributeValue> attributes(String field, Map<String, Object> json) {
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    json.forEach(
        (name, value) -> attributes.put(name, AttributeValue.fromJson(field + "." + name, value)));
    return attributes;
  }
}
