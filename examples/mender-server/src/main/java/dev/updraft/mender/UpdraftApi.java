package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.DeploymentPreview;
import dev.updraft.core.engine.EventPage;
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
 * creating it, run the timeout sweep now, read the event feed, and see how webhook deliveries
 * stand. Guards, progress timeouts and phase gates are options of the ordinary creation bodies.
 */
final class UpdraftApi {
  static final String PREFIX = "/api/updraft/v1";

  private final Updraft engine;
  private final DeploymentsApi deployments;
  private final Optional<Webhooks> webhooks;

  UpdraftApi(Updraft engine, DeploymentsApi deployments, Optional<Webhooks> webhooks) {
    this.engine = engine;
    this.deployments = deployments;
    this.webhooks = webhooks;
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
                    Map.of("timed_out", engine.sweepTimeouts(call.queryInt("limit", 500, 10_000)))))
        .route("GET", PREFIX + "/events", Access.ADMIN, this::events)
        .route("GET", PREFIX + "/webhooks", Access.ADMIN, this::webhooks);
  }

  /**
   * The event feed after {@code after} (default 0), up to {@code limit} events (default 100): each
   * as a webhook's body, and the feed's last position. Events the retention removed answer 410.
   */
  private void events(Call call) throws IOException {
    long after = 0;
    Optional<String> raw = call.query("after");
    if (raw.isPresent()) {
      try {
        after = Long.parseLong(raw.get());
      } catch (NumberFormatException notANumber) {
        throw ApiException.badRequest(
            "query parameter after: '" + raw.get() + "' is not a position (0 or more)");
      }
    }
    EventPage page = engine.events(after, call.queryInt("limit", 100, 1_000));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("events", page.events().stream().map(Webhooks::json).toList());
    json.put("last", page.last());
    call.json(200, json);
  }

  /** How webhook deliveries stand: the last event delivered, the lag, what failed. */
  private void webhooks(Call call) throws IOException {
    Webhooks.Status status =
        webhooks
            .orElseThrow(
                () -> ApiException.notFound("no webhook is configured (UPDRAFT_WEBHOOK_URL)"))
            .status();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("target", status.target().toString());
    json.put("delivered_position", status.delivered());
    json.put("last_position", status.last());
    json.put("lag", status.lag());
    json.put("refused", status.refused());
    json.put("missed", status.missed());
    json.put("failing_since", status.failingSince().map(Instant::toString).orElse(null));
    json.put("last_error", status.lastError().orElse(null));
    call.json(200, json);
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
