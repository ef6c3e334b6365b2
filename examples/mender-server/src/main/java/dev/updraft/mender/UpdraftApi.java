package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.DeploymentPreview;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.mender.DeploymentsApi.Target;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Updraft adds to Mender, under its own prefix {@code /api/updraft/v1} (admin token): pause
 * and resume a deployment, explain what a device would get and why, preview a deployment before
 * creating it, and run the timeout sweep now. Guards, progress timeouts and phase gates are options
 * of the ordinary creation bodies.
 */
final class UpdraftApi {
  static final String PREFIX = "/api/updraft/v1";

  private final Updraft engine;
  private final DeploymentsApi deployments;

  UpdraftApi(Updraft engine, DeploymentsApi deployments) {
    this.engine = engine;
    this.deployments = deployments;
  }

  void routes(Router router) {
    router
        .route(
            "POST",
            PREFIX + "/deployments/{id}/pause",
            Access.ADMIN,
            call ->
                call.json(
                    200,
                    Representations.deployment(engine.pause(call.parameter("id")), Instant.now())))
        .route(
            "POST",
            PREFIX + "/deployments/{id}/resume",
            Access.ADMIN,
            call ->
                call.json(
                    200,
                    Representations.deployment(engine.resume(call.parameter("id")), Instant.now())))
        .route("POST", PREFIX + "/deployments/preview", Access.ADMIN, this::preview)
        .route("GET", PREFIX + "/devices/{id}/explain", Access.ADMIN, this::explain)
        .route(
            "POST",
            PREFIX + "/timeouts/sweep",
            Access.ADMIN,
            call ->
                call.json(
                    200,
                    Map.of(
                        "timed_out", engine.sweepTimeouts(call.queryInt("limit", 500, 10_000)))));
  }

  /**
   * Explains what a poll by the device would decide now about each active deployment. The state is
   * the device's stored one, or {@code device_type} and {@code artifact_name} query parameters.
   */
  private void explain(Call call) throws IOException {
    Optional<String> type = call.query("device_type");
    Optional<String> artifact = call.query("artifact_name");
    if (type.isPresent() != artifact.isPresent()) {
      throw ApiException.badRequest("device_type and artifact_name: give both or neither");
    }
    String id = call.parameter("id");
    Explanation explanation =
        type.isPresent()
            ? engine.explain(id, DeviceState.of(type.get(), artifact.get()))
            : engine.explain(id);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("device_id", id);
    json.put("offered", explanation.offered().orElse(null));
    json.put("deployments", explanation.verdicts().stream().map(UpdraftApi::verdict).toList());
    call.json(200, json);
  }

  private static Map<String, Object> verdict(Verdict verdict) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("deployment_id", verdict.deploymentId());
    json.put("decision", verdict.reason().name().toLowerCase(Locale.ROOT));
    json.put("detail", verdict.detail());
    return json;
  }

  /**
   * The creation body of any Mender endpoint (with {@code group} for a group, {@code filter_id} for
   * a saved filter): what it would create, creating nothing.
   */
  private void preview(Call call) throws IOException {
    JsonNode body = Json.object(call.json(), "deployment");
    Optional<String> group = Json.optionalText(body, "group");
    Target target =
        Json.optional(body, "filter_id").isPresent()
            ? Target.FILTER
            : group.isPresent() ? Target.GROUP : Target.DEVICES;
    DeploymentPreview preview = engine.preview(deployments.request(body, target, group.orElse("")));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("device_count", preview.devices());
    json.put("phase_sizes", List.copyOf(preview.phaseSizes()));
    json.put("no_compatible_artifact", preview.noCompatibleArtifact());
    json.put("overlapping_deployments", preview.overlapping());
    call.json(200, json);
  }
}
