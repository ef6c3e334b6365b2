package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Device admission (device authentication v2), inventory (v1: devices, static groups; v2: search
 * and saved filters).
 */
final class InventoryApi {
  private static final String DEVAUTH = "/api/management/v2/devauth/devices";
  private static final String INVENTORY = "/api/management/v1/inventory";
  private static final String FILTERS = "/api/management/v2/inventory/filters";

  private final Updraft engine;

  InventoryApi(Updraft engine) {
    this.engine = engine;
  }

  void routes(Router router) {
    router
        .route("GET", DEVAUTH, Access.ADMIN, this::authDevices)
        .route("POST", DEVAUTH, Access.ADMIN, this::preauthorize)
        .route("GET", DEVAUTH + "/count", Access.ADMIN, this::count)
        .route(
            "GET",
            DEVAUTH + "/{id}",
            Access.ADMIN,
            call -> call.json(200, Representations.authDevice(device(call.parameter("id")))))
        .route("DELETE", DEVAUTH + "/{id}", Access.ADMIN, this::decommission)
        .route("PUT", DEVAUTH + "/{id}/auth/{aid}/status", Access.ADMIN, this::admit)
        .route("GET", DEVAUTH + "/{id}/auth/{aid}/status", Access.ADMIN, this::admission)
        .route("GET", INVENTORY + "/devices", Access.ADMIN, this::inventoryDevices)
        .route(
            "GET",
            INVENTORY + "/devices/{id}",
            Access.ADMIN,
            call -> call.json(200, Representations.inventoryDevice(device(call.parameter("id")))))
        .route("GET", INVENTORY + "/devices/{id}/group", Access.ADMIN, this::groupOf)
        .route("PUT", INVENTORY + "/devices/{id}/group", Access.ADMIN, this::assignGroup)
        .route(
            "DELETE", INVENTORY + "/devices/{id}/group/{name}", Access.ADMIN, this::removeFromGroup)
        .route("GET", INVENTORY + "/groups", Access.ADMIN, call -> call.json(200, engine.groups()))
        .route("GET", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::members)
        .route("PATCH", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::addMembers)
        .route("DELETE", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::removeMembers)
        .route("POST", FILTERS + "/search", Access.ADMIN, this::search)
        .route("POST", FILTERS, Access.ADMIN, this::saveFilter)
        .route("GET", FILTERS, Access.ADMIN, this::filters)
        .route(
            "GET",
            FILTERS + "/{id}",
            Access.ADMIN,
            call -> call.json(200, Representations.filter(filter(call.parameter("id")))))
        .route("DELETE", FILTERS + "/{id}", Access.ADMIN, this::deleteFilter)
        .route("GET", FILTERS + "/{id}/search", Access.ADMIN, this::filterMatches);
  }

  private Device device(String id) {
    return engine
        .device(id)
        .orElseThrow(() -> ApiException.notFound("device " + id + " not found"));
  }

  private SavedFilter filter(String id) {
    return engine
        .filter(id)
        .orElseThrow(() -> ApiException.notFound("filter " + id + " not found"));
  }

  private Optional<AdmissionStatus> statusQuery(Call call) {
    return call.query("status").map(s -> AdmissionStatus.fromWireName("status", s));
  }

  // ------------------------------------------------------------------ admission

  private void authDevices(Call call) throws IOException {
    Optional<AdmissionStatus> status = statusQuery(call);
    List<String> ids = call.queryAll("id");
    Pages.respond(
        call,
        engine::devices,
        d ->
            status.map(s -> d.admission() == s).orElse(true)
                && (ids.isEmpty() || ids.contains(d.id())),
        Representations::authDevice);
  }

  private void count(Call call) throws IOException {
    Optional<AdmissionStatus> status = statusQuery(call);
    long[] count = {0};
    Pages.each(
        engine::devices,
        d -> {
          if (status.map(s -> d.admission() == s).orElse(true)) {
            count[0]++;
          }
        });
    call.json(200, Map.of("count", count[0]));
  }

  /** Preauthorizes an identity and key: 201 with Location; 409 when that device exists. */
  private void preauthorize(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "preauthorization");
    JsonNode identity = Json.object(Json.required(request, "identity_data"), "identity_data");
    byte[] der = DeviceKeys.der("pubkey", Json.text(request, "pubkey"));
    @SuppressWarnings("unchecked")
    Map<String, Object> identityMap = new TreeMap<>((Map<String, Object>) Json.plain(identity));
    String id =
        DeviceKeys.deviceId(new String(Json.write(identityMap), StandardCharsets.UTF_8), der);
    engine.preauthorize(id, Representations.attributes("identity_data", identityMap));
    call.header("Location", DEVAUTH + "/" + id);
    call.empty(201);
  }

  private void decommission(Call call) throws IOException {
    engine.decommission(call.parameter("id"));
    call.empty(204);
  }

  /** {@code {"status": "accepted" | "rejected" | "pending"}}; the auth set id is the device id. */
  private void admit(Call call) throws IOException {
    requireAuthSet(call);
    AdmissionStatus status =
        AdmissionStatus.fromWireName(
            "status", Json.text(Json.object(call.json(), "status update"), "status"));
    if (status == AdmissionStatus.PREAUTHORIZED || status == AdmissionStatus.NOAUTH) {
      throw ApiException.badRequest(
          "status: '" + status.wireName() + "' cannot be set; use accepted, rejected or pending");
    }
    engine.setAdmission(call.parameter("id"), status);
    call.empty(204);
  }

  private void admission(Call call) throws IOException {
    requireAuthSet(call);
    call.json(200, Map.of("status", device(call.parameter("id")).admission().wireName()));
  }

  private void requireAuthSet(Call call) {
    if (!call.parameter("aid").equals(call.parameter("id"))) {
      throw ApiException.notFound("auth set " + call.parameter("aid") + " not found");
    }
  }

  // ------------------------------------------------------------------ inventory

  private void inventoryDevices(Call call) throws IOException {
    Optional<String> group = call.query("group");
    Optional<Boolean> hasGroup =
        call.query("has_group")
            .map(
                v -> {
                  if (!v.equals("true") && !v.equals("false")) {
                    throw ApiException.badRequest(
                        "has_group: expected true or false, got " + LogText.quote(v));
                  }
                  return Boolean.parseBoolean(v);
                });
    Pages.respond(
        call,
        page -> group.isPresent() ? engine.groupMembers(group.get(), page) : engine.devices(page),
        d -> hasGroup.map(h -> d.staticGroup().isPresent() == h).orElse(true),
        Representations::inventoryDevice);
  }

  private void groupOf(Call call) throws IOException {
    Map<String, Object> json = new java.util.HashMap<>();
    json.put("group", device(call.parameter("id")).staticGroup().orElse(null));
    call.json(200, json);
  }

  private void assignGroup(Call call) throws IOException {
    String group = Json.text(Json.object(call.json(), "group"), "group");
    device(call.parameter("id"));
    engine.assignGroup(call.parameter("id"), group);
    call.empty(204);
  }

  private void removeFromGroup(Call call) throws IOException {
    Device device = device(call.parameter("id"));
    if (!device.staticGroup().equals(Optional.of(call.parameter("name")))) {
      throw ApiException.notFound(
          "device " + device.id() + " is not in group " + call.parameter("name"));
    }
    engine.removeFromGroup(device.id());
    call.empty(204);
  }

  private void members(Call call) throws IOException {
    String group = call.parameter("name");
    Pages.respond(call, page -> engine.groupMembers(group, page), d -> true, Device::id);
  }

  /** Adds devices to a group: {@code {matched_count, updated_count}}; unknown ids are skipped. */
  private void addMembers(Call call) throws IOException {
    String group = Device.checkGroupName("name", call.parameter("name"));
    List<String> ids = Json.texts(call.json(), "devices");
    long matched = 0;
    long updated = 0;
    for (String id : ids) {
      Optional<Device> device = engine.device(id);
      if (device.isPresent()) {
        matched++;
        if (!device.get().staticGroup().equals(Optional.of(group))) {
          engine.assignGroup(id, group);
          updated++;
        }
      }
    }
    call.json(200, Map.of("matched_count", matched, "updated_count", updated));
  }

  private void removeMembers(Call call) throws IOException {
    String group = call.parameter("name");
    List<String> ids = Json.texts(call.json(), "devices");
    long updated = 0;
    for (String id : ids) {
      Optional<Device> device = engine.device(id);
      if (device.isPresent() && device.get().staticGroup().equals(Optional.of(group))) {
        engine.removeFromGroup(id);
        updated++;
      }
    }
    call.json(200, Map.of("updated_count", updated));
  }

  // ------------------------------------------------------------------ filters

  /** Ad-hoc search: {@code {page?, per_page?, filters: [terms]}}. */
  private void search(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "search");
    Filter filter = terms(Json.optional(request, "filters"));
    Pages.respond(
        call, page -> engine.devices(filter, page), d -> true, Representations::inventoryDevice);
  }

  private static Filter terms(Optional<JsonNode> terms) {
    return Filter.fromJson(terms.map(Json::plain).orElse(List.of()));
  }

  private void saveFilter(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "filter");
    String name = Json.text(request, "name");
    Filter filter = terms(Optional.of(Json.required(request, "terms")));
    SavedFilter saved = engine.saveFilter(name, filter);
    call.header("Location", FILTERS + "/" + saved.id());
    call.empty(201);
  }

  private void filters(Call call) throws IOException {
    Pages.respond(call, engine::filters, f -> true, Representations::filter);
  }

  private void deleteFilter(Call call) throws IOException {
    engine.deleteFilter(call.parameter("id"));
    call.empty(204);
  }

  private void filterMatches(Call call) throws IOException {
    String id = filter(call.parameter("id")).id();
    Pages.respond(
        call, page -> engine.filterMatches(id, page), d -> true, Representations::inventoryDevice);
  }
}
