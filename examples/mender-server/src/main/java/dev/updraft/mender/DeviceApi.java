package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.rollout.Instructions;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mender's device API, as mender-client 3.4 uses it (see MENDER-CLIENT.md). */
final class DeviceApi {
  static final String DOWNLOAD = "/api/devices/v1/deployments/download/{artifact_id}";
  private static final String DEPLOYMENTS = "/api/devices/v1/deployments/device/deployments";

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  private final Updraft engine;
  private final Authority authority;
  private final MenderArtifacts artifacts;

  DeviceApi(Updraft engine, Authority authority, MenderArtifacts artifacts) {
    this.engine = engine;
    this.authority = authority;
    this.artifacts = artifacts;
  }

  void routes(Router router) {
    router
        .route(
            "PUT",
            "/api/devices/v1/inventory/device/attributes",
            Access.DEVICE,
            call -> inventory(call, false))
        .route(
            "PATCH",
            "/api/devices/v1/inventory/device/attributes",
            Access.DEVICE,
            call -> inventory(call, true))
        .route(
            "POST",
            "/api/devices/v2/deployments/device/deployments/next",
            Access.DEVICE,
            this::nextV2)
        .route("POST", DEPLOYMENTS + "/next", Access.DEVICE, this::nextV1Post)
        .route("GET", DEPLOYMENTS + "/next", Access.DEVICE, this::nextV1Get)
        .route("PUT", DEPLOYMENTS + "/{id}/status", Access.DEVICE, this::status)
        .route("PUT", DEPLOYMENTS + "/{id}/log", Access.DEVICE, this::log)
        .route("GET", DOWNLOAD, Access.OPEN, this::download);
  }

  // ------------------------------------------------------------------ inventory

  /**
   * PUT replaces the reported inventory, PATCH adds to it; {@code device_type} and {@code
   * artifact_name} become the device's state. Answers exactly 200 (the client retries a 204).
   */
  private void inventory(Call call, boolean merge) throws IOException {
    List<JsonNode> items = Json.array(call.json(), "attributes");
    Map<String, AttributeValue> reported = new LinkedHashMap<>();
    if (merge) {
      Device device = engine.device(call.deviceId()).orElseThrow();
      device
          .attributes()
          .forEach(
              (key, value) -> {
                if (key.scope() == Scope.INVENTORY) {
                  reported.put(key.name(), value);
                }
              });
      device
          .state()
          .ifPresent(
              s -> {
                reported.put(AttributeKey.DEVICE_TYPE.name(), AttributeValue.text(s.deviceType()));
                reported.put(
                    AttributeKey.ARTIFACT_NAME.name(), AttributeValue.text(s.artifactName()));
              });
    }
    for (int i = 0; i < items.size(); i++) {
      String field = "attributes[" + i + "]";
      JsonNode item = Json.object(items.get(i), field);
      String name = Json.text(item, "name");
      reported.put(
          name,
          AttributeValue.fromJson(field + ".value", Json.plain(Json.required(item, "value"))));
    }
    engine.reportInventory(call.deviceId(), reported);
    call.empty(200);
  }

  // ------------------------------------------------------------------ next

  private void nextV2(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "request");
    JsonNode provides = Json.object(Json.required(request, "device_provides"), "device_provides");
    next(call, DeviceState.fromDeviceProvides(texts(provides, "device_provides")));
  }

  private void nextV1Post(Call call) throws IOException {
    next(
        call,
        DeviceState.fromDeviceProvides(texts(Json.object(call.json(), "provides"), "provides")));
  }

  private void nextV1Get(Call call) throws IOException {
    String type =
        call.query("device_type")
            .orElseThrow(() -> ApiException.badRequest("query parameter device_type: required"));
    String artifact =
        call.query("artifact_name")
            .orElseThrow(() -> ApiException.badRequest("query parameter artifact_name: required"));
    next(call, DeviceState.of(type, artifact));
  }

  private static Map<String, String> texts(JsonNode object, String field) {
    Map<String, String> texts = new LinkedHashMap<>();
    object
        .properties()
        .forEach(
            f -> {
              if (!f.getValue().isTextual()) {
                throw ApiException.badRequest(
                    field
                        + "."
                        + f.getKey()
                        + ": expected a string, got "
                        + Json.kind(f.getValue()));
              }
              texts.put(f.getKey(), f.getValue().asText());
            });
    return texts;
  }

  /** 200 with the instructions, 204 for nothing new, 409 when the device lost its state. */
  private void next(Call call, DeviceState state) throws IOException {
    PollDecision decision = engine.poll(call.deviceId(), state);
    call.detail(decision.reason().name().toLowerCase(java.util.Locale.ROOT));
    if (decision.isConflict()) {
      throw new ApiException(409, "the device's state changed mid-update: " + decision.reason());
    }
    Optional<Instructions> instructions = decision.instructions();
    if (instructions.isEmpty()) {
      call.empty(204);
      return;
    }
    Artifact artifact = instructions.get().artifact();
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("uri", authority.downloadLink(call.baseUrl(), artifact.id()).uri());
    Map<String, Object> artifactJson = new LinkedHashMap<>();
    artifactJson.put("id", artifact.id());
    artifactJson.put("artifact_name", artifact.name());
    artifactJson.put("source", source);
    artifactJson.put("device_types_compatible", List.copyOf(artifact.deviceTypes()));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", instructions.get().deploymentId());
    json.put("artifact", artifactJson);
    call.json(200, json);
  }

  // ------------------------------------------------------------------ status and log

  /**
   * A status report; 204, or 409 when the device deployment was aborted (or has otherwise
   * finished). A success also records what the device now runs.
   */
  private void status(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "status report");
    DeviceDeploymentStatus status =
        DeviceDeploymentStatus.fromWireName("status", Json.text(request, "status"));
    String substate = Json.optionalText(request, "substate").orElse("");
    String deploymentId = call.parameter("id");
    call.detail(status.wireName());
    DeviceDeployment record;
    try {
      record = engine.report(call.deviceId(), deploymentId, status, substate);
    } catch (NotFoundException absent) {
      requireOwn(call, deploymentId); // tells which is missing: 404 or 403
      throw absent;
    }
    if (status == DeviceDeploymentStatus.SUCCESS && record.initialState().isPresent()) {
      record
          .artifactId()
          .flatMap(engine::artifact)
          .ifPresent(
              artifact ->
                  engine.updateState(
                      call.deviceId(), artifact.installedOn(record.initialState().get())));
    }
    call.empty(204);
  }

  private void log(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "log");
    List<JsonNode> items = Json.array(Json.required(request, "messages"), "messages");
    List<LogMessage> messages = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "messages[" + i + "]";
      JsonNode item = Json.object(items.get(i), field);
      Instant timestamp;
      try {
        timestamp = Instant.parse(Json.text(item, "timestamp"));
      } catch (DateTimeParseException malformed) {
        throw ApiException.badRequest(
            field + ".timestamp: not an RFC 3339 time: " + item.get("timestamp").asText());
      }
      messages.add(LogMessage.of(timestamp, Json.text(item, "level"), Json.text(item, "message")));
    }
    String deploymentId = call.parameter("id");
    requireOwn(call, deploymentId);
    engine.uploadLog(deploymentId, call.deviceId(), DeploymentLog.of(messages));
    call.empty(204);
  }

  /**
   * A device acts only on its own device deployments: 404 for a deployment that does not exist, 403
   * for one it takes no part in.
   */
  /**
   * 404 when deployment {@code deploymentId} does not exist, 403 when the calling device has no
   * part in it.
   */
  private void requireOwn(Call call, String deploymentId) {
    if (engine.deployment(deploymentId).isEmpty()) {
      throw ApiException.notFound("deployment " + deploymentId + " not found");
    }
    if (engine.deviceDeployment(deploymentId, call.deviceId()).isEmpty()) {
      throw ApiException.forbidden(
          "device " + call.deviceId() + " has no part in deployment " + deploymentId);
    }
  }

  // ------------------------------------------------------------------ download

  /**
   * The artifact's bytes through a signed, expiring link (the client sends no token): 200 with
   * Content-Length, or 206 for a {@code Range}.
   */
  private void download(Call call) throws IOException {
    String artifactId = call.parameter("artifact_id");
    authority.checkLink(artifactId, call.query("expire"), call.query("signature"));
    Path file =
        artifacts
            .existing(artifactId)
            .orElseThrow(() -> ApiException.notFound("artifact " + artifactId + " not found"));
    long size = Files.size(file);
    long first = 0;
    long last = size - 1;
    int code = 200;
    Optional<String> range = call.header("Range");
    if (range.isPresent()) {
      Matcher m = RANGE.matcher(range.get().trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw new ApiException(416, "unsupported Range: " + range.get());
      }
      if (m.group(1).isEmpty()) {
        first = Math.max(0, size - Long.parseLong(m.group(2)));
      } else {
        first = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          last = Math.min(last, Long.parseLong(m.group(2)));
        }
      }
      if (first >= size || first > last) {
        call.header("Content-Range", "bytes */" + size);
        throw new ApiException(416, "Range " + range.get() + " outside 0-" + (size - 1));
      }
      code = 206;
      call.header("Content-Range", "bytes " + first + "-" + last + "/" + size);
    }
    call.header("Content-Type", "application/vnd.mender-artifact");
    call.header("Accept-Ranges", "bytes");
    call.file(code, file, first, last - first + 1);
  }
}
