package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.NotFoundException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.LogMessage;
import dev.updraft.core.deployment.NewDeployment;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.DeploymentQuery;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.core.rollout.Reason;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Deployments: create (v1 devices or all devices, v1 group, v2 saved filter; phases, retries, max
 * devices), list, get, statistics, device lists, abort, device logs, a device's history.
 */
final class DeploymentsApi {
  private static final String V1 = "/api/management/v1/deployments/deployments";
  private static final String V2 = "/api/management/v2/deployments/deployments";

  private final Updraft engine;

  DeploymentsApi(Updraft engine) {
    this.engine = engine;
  }

  void routes(Router router) {
    router
        .route("POST", V1, Access.ADMIN, call -> create(call, Target.DEVICES))
        .route("POST", V1 + "/group/{name}", Access.ADMIN, call -> create(call, Target.GROUP))
        .route("POST", V2, Access.ADMIN, call -> create(call, Target.FILTER))
        .route("GET", V1, Access.ADMIN, this::list)
        .route("POST", V1 + "/statistics/list", Access.ADMIN, this::statisticsList)
        .route("GET", V2, Access.ADMIN, this::list)
        .route(
            "GET",
            V1 + "/{id}",
            Access.ADMIN,
            call ->
                call.json(
                    200,
                    Representations.deployment(deployment(call.parameter("id")), Instant.now())))
        .route(
            "GET",
            V1 + "/{id}/statistics",
            Access.ADMIN,
            call ->
                call.json(200, engine.statistics(deployment(call.parameter("id")).id()).toMap()))
        .route("GET", V1 + "/{id}/devices", Access.ADMIN, this::devices)
        .route("GET", V1 + "/{id}/devices/list", Access.ADMIN, this::devices)
        .route("GET", V1 + "/{id}/device_list", Access.ADMIN, this::deviceList)
        .route("PUT", V1 + "/{id}/status", Access.ADMIN, this::abort)
        .route("GET", V1 + "/{id}/devices/{device_id}/log", Access.ADMIN, this::log)
        .route("GET", V1 + "/devices/{device_id}", Access.ADMIN, this::history)
        .route(
            "DELETE",
            V1 + "/devices/{device_id}",
            Access.ADMIN,
            call -> {
              engine.abortDeviceDeployments(call.parameter("device_id"));
              call.empty(204);
            })
        .route(
            "DELETE",
            V1 + "/devices/{device_id}/history",
            Access.ADMIN,
            call -> {
              engine.resetHistory(call.parameter("device_id"));
              call.empty(204);
            });
  }

  enum Target {
    DEVICES,
    GROUP,
    FILTER
  }

  private Deployment deployment(String id) {
    return engine
        .deployment(id)
        .orElseThrow(() -> ApiException.notFound("deployment " + id + " not found"));
  }

  // ------------------------------------------------------------------ create

  /**
   * 201 with {@code Location}; 400 for an invalid request; 422 when no release has that name (or,
   * v2, no saved filter has that id).
   */
  private void create(Call call, Target target) throws IOException {
    JsonNode body = Json.object(call.json(), "deployment");
    DeploymentRequest request =
        request(body, target, target == Target.GROUP ? call.parameter("name") : "");
    NewDeployment created;
    try {
      created = engine.createDeployment(request);
    } catch (NotFoundException gone) {
      throw new ApiException(422, gone.getMessage());
    }
    call.header("Location", V1 + "/" + created.deployment().id());
    call.empty(201);
  }

  /**
   * The request a creation body describes: Mender's fields, plus Updraft's {@code guard}, {@code
   * progress_timeout_seconds} and phase {@code gate}s. 422 when no release has that name (or no
   * saved filter that id).
   */
  DeploymentRequest request(JsonNode body, Target target, String group) {
    DeploymentRequest.Builder builder =
        DeploymentRequest.builder()
            .name(Json.text(body, "name"))
            .releaseName(Json.text(body, "artifact_name"))
            .options(options(body));
    switch (target) {
      case DEVICES -> {
        Json.optional(body, "devices")
            .ifPresent(d -> builder.addAllDevices(Json.texts(d, "devices")));
        builder.allDevices(Json.optionalBoolean(body, "all_devices").orElse(false));
      }
      case GROUP -> builder.group(group);
      case FILTER -> {
        String filterId = Json.text(body, "filter_id");
        SavedFilter filter =
            engine
                .filter(filterId)
                .orElseThrow(() -> new ApiException(422, "filter_id: no saved filter " + filterId));
        builder.filter(filter);
      }
    }
    DeploymentRequest built = builder.build();
    if (engine.release(built.releaseName()).isEmpty()) {
      throw new ApiException(422, "artifact_name: no artifact named " + built.releaseName());
    }
    return built;
  }

  private static DeploymentOptions options(JsonNode request) {
    DeploymentOptions.Builder options = DeploymentOptions.builder();
    Json.optionalInt(request, "retries").ifPresent(options::retries);
    Json.optional(request, "max_devices")
        .ifPresent(
            max -> {
              if (!max.isIntegralNumber()) {
                throw ApiException.badRequest("max_devices: expected an integer, got " + max);
              }
              if (max.longValue() > 0) {
                options.maxDevices(max.longValue());
              }
            });
    Json.optionalBoolean(request, "force_installation").ifPresent(options::forceInstallation);
    Json.optional(request, "guard")
        .ifPresent(
            guard -> {
              Json.object(guard, "guard");
              options.guard(
                  Guard.of(
                      Json.number(guard, "guard.max_failure_ratio"),
                      Json.optionalInt(guard, "min_sample").orElse(1),
                      GuardAction.fromWireName(
                          "guard.action", Json.optionalText(guard, "action").orElse("pause"))));
            });
    Json.optionalInt(request, "progress_timeout_seconds")
        .ifPresent(seconds -> options.progressTimeout(Duration.ofSeconds(seconds)));
    Optional<JsonNode> phases = Json.optional(request, "phases");
    if (phases.isPresent()) {
      List<JsonNode> items = Json.array(phases.get(), "phases");
      for (int i = 0; i < items.size(); i++) {
        String field = "phases[" + i + "]";
        JsonNode phase = Json.object(items.get(i), field);
        Optional<Integer> batch = Json.optionalInt(phase, "batch_size");
        Optional<Instant> start =
            Json.optionalText(phase, "start_ts")
                .map(
                    ts -> {
                      try {
                        return Instant.parse(ts);
                      } catch (DateTimeParseException malformed) {
                        throw ApiException.badRequest(
                            field + ".start_ts: not an RFC 3339 time: " + ts);
                      }
                    });
        Phase made = Phase.of(batch, start);
        Optional<JsonNode> gate = Json.optional(phase, "gate");
        if (gate.isPresent()) {
          Json.object(gate.get(), field + ".gate");
          made =
              made.withGate(
                  PhaseGate.of(
                      Json.number(gate.get(), field + ".gate.min_success_ratio"),
                      Json.optionalInt(gate.get(), "min_sample").orElse(1)));
        }
        options.addPhases(made);
      }
    }
    return options.build();
  }

  // ------------------------------------------------------------------ read

  private void list(Call call) throws IOException {
    DeploymentQuery named =
        criteria(call)
            .addAllIds(call.queryAll("id"))
            .addAllNames(call.queryAll("name")) // v2: each repeatable
            .build();
    DeploymentQuery built =
        call.query("id_attribute").isPresent()
                && !named.names().isEmpty()
                && engine.deployments(named, PageRequest.first(1)).items().isEmpty()
            ? criteria(call).addAllIds(targetingDevice(call, call.queryAll("name").get(0))).build()
            : named;
    // every deployment here is of software; configuration deployments are never made (see README)
    boolean configuration =
        call.query("type")
            .map(
                type ->
                    switch (type) {
                      case "software" -> false;
                      case "configuration" -> true;
                      default ->
                          throw ApiException.badRequest(
                              "type: " + LogText.quote(type) + " is not software or configuration");
                    })
            .orElse(false);
    Instant now = Instant.now();
    Pages.respond(
        call,
        page -> engine.deployments(built, page),
        d -> !configuration,
        newestFirst(call),
        d -> Representations.deployment(d, now));
  }

  /**
   * A listing's criteria but ids and names: {@code status}, {@code search}, the creation bounds.
   */
  private static DeploymentQuery.Builder criteria(Call call) {
    DeploymentQuery.Builder query = DeploymentQuery.builder();
    call.query("status").filter(s -> !s.equals("all")).ifPresent(s -> query.status(statusOf(s)));
    call.query("search").ifPresent(query::name);
    // Unix seconds, both bounds inclusive, as Mender compares them
    call.query("created_after")
        .map(v -> unixSeconds("created_after", v))
        .ifPresent(query::createdFrom);
    call.query("created_before")
        .map(v -> unixSeconds("created_before", v).plusNanos(1))
        .ifPresent(query::createdBefore);
    return query;
  }

  /**
   * v2's fallback when no deployment has the name asked for [M]: {@code id_attribute} (in {@code
   * id_scope}: identity, or inventory for {@code name}) names an attribute, and the first device
   * whose attribute has the name as its value stands for it: the query becomes the deployments
   * targeting that device (those it took part in, and the active ones it is targeted by). No such
   * device: none.
   */
  private java.util.Set<String> targetingDevice(Call call, String value) {
    String attribute = call.query("id_attribute").orElseThrow();
    Scope scope =
        call.query("id_scope")
            .map(s -> Scope.fromWireName("id_scope", s))
            .orElse(attribute.equals("name") ? Scope.INVENTORY : Scope.IDENTITY);
    AttributeKey key = AttributeKey.of(scope, attribute);
    AttributeValue wanted = AttributeValue.text(value);
    java.util.List<Device> found = new java.util.ArrayList<>(1);
    Pages.each(
        engine::devices,
        d -> {
          if (found.isEmpty() && d.attribute(key).equals(Optional.of(wanted))) {
            found.add(d);
          }
        });
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    found.forEach(
        device -> {
          Pages.each(page -> engine.history(device.id(), page), r -> ids.add(r.deploymentId()));
          if (device.state().isPresent()) {
            for (Verdict verdict : engine.explain(device.id()).verdicts()) {
              if (verdict.reason() != Reason.NOT_TARGETED
                  && verdict.reason() != Reason.FILTER_MISMATCH) {
                ids.add(verdict.deploymentId());
              }
            }
          }
        });
    if (ids.isEmpty()) {
      ids.add("-"); // no deployment has this id: an empty listing
    }
    return ids;
  }

  /**
   * {@code sort}: {@code desc} (newest first, Mender's default) or {@code asc}; the engine lists
   * oldest first, so only {@code desc} needs the listing held and sorted.
   */
  private static Optional<Comparator<Deployment>> newestFirst(Call call) {
    String sort = call.query("sort").orElse("desc");
    return switch (sort) {
      case "asc" -> Optional.empty();
      case "desc" ->
          Optional.of(
              Comparator.comparing(Deployment::created).thenComparing(Deployment::id).reversed());
      default ->
          throw ApiException.badRequest("sort: " + LogText.quote(sort) + " is not asc or desc");
    };
  }

  /**
   * {@code {"deployment_ids": [...]}}: each deployment's statistics, {@code [{"id", "stats"}]}, in
   * the order asked; 400 without ids, 404 naming the first id no deployment has.
   */
  private void statisticsList(Call call) throws IOException {
    List<String> ids =
        Json.texts(
            Json.required(Json.object(call.json(), "request"), "deployment_ids"), "deployment_ids");
    if (ids.isEmpty()) {
      throw ApiException.badRequest("deployment_ids: at least one deployment id is required");
    }
    List<Object> list = new java.util.ArrayList<>();
    for (String id : ids) {
      list.add(Map.of("id", id, "stats", engine.statistics(deployment(id).id()).toMap()));
    }
    call.json(200, list);
  }

  /** The instant of a Unix timestamp in seconds; 400 naming {@code parameter} otherwise. */
  private static Instant unixSeconds(String parameter, String value) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(value));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw ApiException.badRequest(
          parameter + ": " + LogText.quote(value) + " is not a Unix timestamp in seconds");
    }
  }

  private static DeploymentStatus statusOf(String wireName) {
    for (DeploymentStatus status : DeploymentStatus.values()) {
      if (status.wireName().equals(wireName)) {
        return status;
      }
    }
    throw ApiException.badRequest("status: '" + wireName + "' is not a deployment status");
  }

  /**
   * The statuses a {@code status} parameter of a device deployment listing names [M]: one status,
   * or {@code pause} (the three pauses), {@code active} (begun, not finished) or {@code finished};
   * 400 for anything else.
   */
  static Predicate<DeviceDeploymentStatus> statuses(String wireName) {
    return switch (wireName) {
      case "pause" -> s -> s.wireName().startsWith("pause_");
      case "active" -> s -> s.isOpen() && s != DeviceDeploymentStatus.PENDING;
      case "finished" -> DeviceDeploymentStatus::isFinished;
      default -> {
        DeviceDeploymentStatus one = DeviceDeploymentStatus.fromWireName("status", wireName);
        yield s -> s == one;
      }
    };
  }

  /** The device deployments, all or those in {@code status} (one, or a group of them). */
  private void devices(Call call) throws IOException {
    String id = deployment(call.parameter("id")).id();
    Optional<String> status = call.query("status");
    Predicate<DeviceDeploymentStatus> shown =
        status.map(DeploymentsApi::statuses).orElse(s -> true);
    Optional<DeviceDeploymentStatus> one =
        status
            .filter(s -> !List.of("pause", "active", "finished").contains(s))
            .map(s -> DeviceDeploymentStatus.fromWireName("status", s));
    Pages.respond(
        call,
        page ->
            one.isPresent()
                ? engine.deviceDeployments(id, one.get(), page)
                : engine.deviceDeployments(id, page),
        r -> shown.test(r.status()),
        Representations::deviceDeployment);
  }

  /** The ids of the devices the deployment reached so far. */
  private void deviceList(Call call) throws IOException {
    String id = deployment(call.parameter("id")).id();
    Pages.respond(call, page -> engine.deviceDeployments(id, page), r -> true, r -> r.deviceId());
  }

  /** {@code {"status": "aborted"}}: 204; 422 when it has finished. */
  private void abort(Call call) throws IOException {
    String status = Json.text(Json.object(call.json(), "status update"), "status");
    if (!status.equals("aborted")) {
      throw ApiException.badRequest("status: '" + status + "' is not 'aborted'");
    }
    Deployment deployment = deployment(call.parameter("id"));
    if (!deployment.isActive()) {
      throw new ApiException(422, "deployment " + deployment.id() + " has finished");
    }
    engine.abort(deployment.id());
    call.empty(204);
  }

  /** The device's log as text, one {@code timestamp level message} line per message. */
  private void log(Call call) throws IOException {
    String id = deployment(call.parameter("id")).id();
    DeploymentLog log =
        engine
            .log(id, call.parameter("device_id"))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no log for device "
                            + call.parameter("device_id")
                            + " in deployment "
                            + id));
    call.text(200, log.messages().stream().map(DeploymentsApi::line).collect(Collectors.joining()));
  }

  private static String line(LogMessage message) {
    return message.timestamp() + " " + message.level() + " " + message.text() + "\n";
  }

  /** A device's history: its device deployments with their deployments, oldest first. */
  private void history(Call call) throws IOException {
    String deviceId = call.parameter("device_id");
    Predicate<DeviceDeploymentStatus> shown =
        call.query("status").map(DeploymentsApi::statuses).orElse(s -> true);
    Map<String, Deployment> deployments = new HashMap<>();
    Pages.respond(
        call,
        page -> engine.history(deviceId, page),
        r -> shown.test(r.status()),
        r ->
            Representations.history(
                r, deployments.computeIfAbsent(r.deploymentId(), this::deployment)));
  }
}
