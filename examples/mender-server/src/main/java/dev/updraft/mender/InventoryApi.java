package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.ResultPage;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Inventory (v1: devices, tags, static groups; v2: statistics, search and saved filters). */
final class InventoryApi {
  private static final String INVENTORY = "/api/management/v1/inventory";
  private static final String FILTERS = "/api/management/v2/inventory/filters";

  private final Updraft engine;

  InventoryApi(Updraft engine) {
    this.engine = engine;
  }

  void routes(Router router) {
    router
        .route("GET", INVENTORY + "/devices", Access.ADMIN, this::inventoryDevices)
        .route(
            "GET",
            INVENTORY + "/devices/{id}",
            Access.ADMIN,
            call -> call.json(200, Representations.inventoryDevice(device(call.parameter("id")))))
        .route("DELETE", INVENTORY + "/devices/{id}", Access.ADMIN, this::deleteInventory)
        .route("PUT", INVENTORY + "/devices/{id}/tags", Access.ADMIN, call -> tags(call, true))
        .route("PATCH", INVENTORY + "/devices/{id}/tags", Access.ADMIN, call -> tags(call, false))
        .route("GET", INVENTORY + "/devices/{id}/group", Access.ADMIN, this::groupOf)
        .route("PUT", INVENTORY + "/devices/{id}/group", Access.ADMIN, this::assignGroup)
        .route(
            "DELETE", INVENTORY + "/devices/{id}/group/{name}", Access.ADMIN, this::removeFromGroup)
        .route("GET", INVENTORY + "/groups", Access.ADMIN, this::groups)
        .route("DELETE", INVENTORY + "/groups/{name}", Access.ADMIN, this::deleteGroup)
        .route("GET", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::members)
        .route("PATCH", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::addMembers)
        .route("DELETE", INVENTORY + "/groups/{name}/devices", Access.ADMIN, this::removeMembers)
        .route("GET", "/api/management/v2/inventory/statistics", Access.ADMIN, this::statistics)
        .route("GET", FILTERS + "/attributes", Access.ADMIN, this::attributes)
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
        call.query("sort").map(InventoryApi::byAttributes),
        Representations::inventoryDevice);
  }

  /** Attribute values in order: numbers by value before texts. */
  private static final Comparator<Object> ATTRIBUTE_VALUES =
      Comparator.comparing((Object v) -> v instanceof Number ? 0 : 1)
          .thenComparing(
              (a, b) ->
                  a instanceof Number x && b instanceof Number y
                      ? Double.compare(x.doubleValue(), y.doubleValue())
                      : String.valueOf(a).compareTo(String.valueOf(b)));

  /** A value's first element when it is a list (a list sorts by its first). */
  private static @org.jspecify.annotations.Nullable Object first(Object value) {
    return value instanceof List<?> list ? (list.isEmpty() ? null : list.get(0)) : value;
  }

  private static final java.util.regex.Pattern SORT =
      java.util.regex.Pattern.compile(
          "[a-zA-Z0-9_-]+(:(asc|desc))?(,[a-zA-Z0-9_-]+(:(asc|desc))?)*");

  /**
   * The order of {@code sort=attr1:asc,attr2:desc} [M]: by each attribute's value (a number before
   * a text, numbers by value), descending unless {@code :asc}; a device without the attribute last;
   * then by id. 400 for a parameter of another form.
   */
  static Comparator<Device> byAttributes(String sort) {
    if (!SORT.matcher(sort).matches()) {
      throw ApiException.badRequest(
          "sort: " + LogText.quote(sort) + " is not attribute[:asc|:desc], comma-separated");
    }
    Comparator<Device> order = null;
    for (String term : sort.split(",")) {
      String[] parts = term.split(":");
      String name = parts[0];
      Comparator<Object> values = ATTRIBUTE_VALUES;
      if (parts.length == 1 || parts[1].equals("desc")) {
        values = values.reversed();
      }
      Comparator<Device> next =
          Comparator.comparing((Device d) -> attributeValue(d, name), Comparator.nullsLast(values));
      order = order == null ? next : order.thenComparing(next);
    }
    return order.thenComparing(Device::id);
  }

  /** The value of a device's attribute of this name, the reported one first; null for none. */
  private static @org.jspecify.annotations.Nullable Object attributeValue(
      Device device, String name) {
    Object found = null;
    for (Object attribute : (List<?>) Representations.inventoryDevice(device).get("attributes")) {
      Map<?, ?> json = (Map<?, ?>) attribute;
      if (name.equals(json.get("name"))) {
        Object value = first(json.get("value"));
        if ("inventory".equals(json.get("scope"))) {
          return value;
        }
        found = found == null ? value : found;
      }
    }
    return found;
  }

  /**
   * Deletes what the inventory holds of a device [U]: its reported attributes, tags and group; its
   * admission, identity and deployments stay, and its next inventory report fills it again. 204,
   * also for a device that does not exist (as in Mender).
   */
  private void deleteInventory(Call call) throws IOException {
    String id = call.parameter("id");
    if (engine.device(id).isPresent()) {
      engine.reportInventory(id, Map.of());
      engine.setTags(id, Map.of());
      engine.removeFromGroup(id);
    }
    call.empty(204);
  }

  /**
   * Tags, {@code [{"name", "value", "description"?}]}: PUT replaces them all, PATCH adds and
   * overwrites. A tag's value is a string; a description is accepted and not kept. This server
   * issues no ETags, so an {@code If-Match} other than {@code *} never matches: 412.
   */
  private void tags(Call call, boolean replace) throws IOException {
    Device device = device(call.parameter("id"));
    Optional<String> ifMatch = call.header("If-Match");
    if (ifMatch.isPresent() && !ifMatch.get().trim().equals("*")) {
      throw new ApiException(412, "If-Match: this server issues no ETags, so none matches");
    }
    Map<String, AttributeValue> tags = new LinkedHashMap<>();
    if (!replace) {
      device
          .attributes()
          .forEach(
              (key, value) -> {
                if (key.scope() == Scope.TAGS) {
                  tags.put(key.name(), value);
                }
              });
    }
    List<JsonNode> items = Json.array(call.json(), "tags");
    for (int i = 0; i < items.size(); i++) {
      String field = "tags[" + i + "]";
      JsonNode tag = Json.object(items.get(i), field);
      String name = Json.text(tag, field + ".name");
      JsonNode value = Json.required(tag, field + ".value");
      if (!value.isTextual()) {
        throw ApiException.badRequest(field + ".value: expected a string, got " + Json.kind(value));
      }
      Json.optionalText(tag, "description");
      tags.put(name, AttributeValue.text(value.asText()));
    }
    engine.setTags(device.id(), tags);
    call.empty(200);
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

  /**
   * Takes every member out of a group: {@code {"updated_count": n}}; 404 for a group without
   * members.
   */
  private void deleteGroup(Call call) throws IOException {
    String group = call.parameter("name");
    List<String> members = new java.util.ArrayList<>();
    Pages.each(page -> engine.groupMembers(group, page), d -> members.add(d.id()));
    if (members.isEmpty()) {
      throw ApiException.notFound("group " + group + " not found");
    }
    call.json(200, Map.of("updated_count", removeFromGroup(group, members)));
  }

  /** Takes those of {@code ids} that are in {@code group} out of it; returns how many. */
  private long removeFromGroup(String group, List<String> ids) {
    long updated = 0;
    for (String id : ids) {
      Optional<Device> device = engine.device(id);
      if (device.isPresent() && device.get().staticGroup().equals(Optional.of(group))) {
        engine.removeFromGroup(id);
        updated++;
      }
    }
    return updated;
  }

  /** The static groups; with {@code status}, those with a member of that admission status. */
  private void groups(Call call) throws IOException {
    Optional<AdmissionStatus> status =
        call.query("status").map(v -> AdmissionStatus.fromWireName("status", v));
    if (status.isEmpty()) {
      call.json(200, engine.groups());
      return;
    }
    java.util.Set<String> groups = new java.util.TreeSet<>();
    Pages.each(
        engine::devices,
        d -> {
          if (d.admission() == status.get()) {
            d.staticGroup().ifPresent(groups::add);
          }
        });
    call.json(200, List.copyOf(groups));
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
    List<String> ids = Json.texts(call.json(), "devices");
    call.json(200, Map.of("updated_count", removeFromGroup(call.parameter("name"), ids)));
  }

  // ------------------------------------------------------------------ filters

  /**
   * {@code {"devices_by_status": {"accepted": {"standard": n, "micro": 0, "system": 0}, "pending":
   * …}}}: every device is of Mender's {@code standard} tier here.
   */
  private void statistics(Call call) throws IOException {
    long[] counts = new long[2];
    Pages.each(
        engine::devices,
        d -> {
          if (d.admission() == AdmissionStatus.ACCEPTED) {
            counts[0]++;
          } else if (d.admission() == AdmissionStatus.PENDING) {
            counts[1]++;
          }
        });
    call.json(
        200,
        Map.of(
            "devices_by_status",
            Map.of("accepted", tiers(counts[0]), "pending", tiers(counts[1]))));
  }

  private static Map<String, Long> tiers(long standard) {
    return Map.of("standard", standard, "micro", 0L, "system", 0L);
  }

  /** Attributes a sample of devices have, as Mender gives them: at most this many devices read. */
  static final int ATTRIBUTE_SAMPLE = 5_000;

  /** The most attributes listed. */
  static final int MAX_ATTRIBUTES = 500;

  /**
   * The attributes one can filter on: {@code [{"name", "scope", "count"}]}, the most common first,
   * then by scope and name, over the first {@value #ATTRIBUTE_SAMPLE} devices, at most {@value
   * #MAX_ATTRIBUTES}.
   */
  private void attributes(Call call) throws IOException {
    Map<List<String>, Long> counts = new java.util.HashMap<>();
    ResultPage<Device> sample = engine.devices(PageRequest.first(ATTRIBUTE_SAMPLE));
    for (Device device : sample.items()) {
      for (Object attribute : (List<?>) Representations.inventoryDevice(device).get("attributes")) {
        Map<?, ?> json = (Map<?, ?>) attribute;
        counts.merge(
            List.of(String.valueOf(json.get("scope")), String.valueOf(json.get("name"))),
            1L,
            Long::sum);
      }
    }
    call.json(
        200,
        counts.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<List<String>, Long> e) -> -e.getValue())
                    .thenComparing(e -> e.getKey().get(0))
                    .thenComparing(e -> e.getKey().get(1)))
            .limit(MAX_ATTRIBUTES)
            .map(
                e ->
                    Map.of(
                        "scope",
                        e.getKey().get(0),
                        "name",
                        e.getKey().get(1),
                        "count",
                        e.getValue()))
            .toList());
  }

  /** Ad-hoc search: {@code {page?, per_page?, filters: [terms]}}. */
  /**
   * Ad-hoc search [M]: {@code {filters: [terms], device_ids, text, sort: [{scope, attribute,
   * order}], attributes: [{scope, attribute}], page, per_page}}, all optional. {@code text} matches
   * a device whose id or any attribute value contains it (case aside); {@code attributes} narrows
   * what each device shows to those.
   */
  private void search(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "search");
    Optional<Filter> filter =
        Json.optional(request, "filters")
            .filter(terms -> !terms.isArray() || !terms.isEmpty())
            .map(terms -> terms(Optional.of(terms)));
    List<String> ids =
        Json.optional(request, "device_ids")
            .map(v -> Json.texts(v, "device_ids"))
            .orElse(List.of());
    Optional<String> text =
        Json.optionalText(request, "text").map(t -> t.toLowerCase(java.util.Locale.ROOT));
    List<AttributeKey> sortKeys = new java.util.ArrayList<>();
    Comparator<Device> order = null;
    List<JsonNode> sort =
        Json.optional(request, "sort").map(v -> Json.array(v, "sort")).orElse(List.of());
    for (int i = 0; i < sort.size(); i++) {
      String field = "sort[" + i + "]";
      JsonNode criterion = Json.object(sort.get(i), field);
      AttributeKey key = key(criterion, field);
      String direction = Json.text(criterion, field + ".order");
      if (!direction.equals("asc") && !direction.equals("desc")) {
        throw ApiException.badRequest(
            field + ".order: " + LogText.quote(direction) + " is not asc or desc");
      }
      Comparator<Object> values = ATTRIBUTE_VALUES;
      Comparator<Device> next =
          Comparator.comparing(
              (Device d) ->
                  d.attribute(key)
                      .map(AttributeValue::toJson)
                      .map(InventoryApi::first)
                      .orElse(null),
              Comparator.nullsLast(direction.equals("asc") ? values : values.reversed()));
      order = order == null ? next : order.thenComparing(next);
      sortKeys.add(key);
    }
    List<AttributeKey> selected = new java.util.ArrayList<>();
    List<JsonNode> attributes =
        Json.optional(request, "attributes")
            .map(v -> Json.array(v, "attributes"))
            .orElse(List.of());
    for (int i = 0; i < attributes.size(); i++) {
      String field = "attributes[" + i + "]";
      selected.add(key(Json.object(attributes.get(i), field), field));
    }
    int page = Json.optionalInt(request, "page").orElse(1);
    int perPage = Json.optionalInt(request, "per_page").orElse(20);
    if (page < 1 || perPage < 1 || perPage > Pages.MAX_PER_PAGE) {
      throw ApiException.badRequest(
          "page and per_page: page from 1, per_page from 1 to " + Pages.MAX_PER_PAGE);
    }
    Pages.respond(
        call,
        page,
        perPage,
        p -> filter.isPresent() ? engine.devices(filter.get(), p) : engine.devices(p),
        d ->
            (ids.isEmpty() || ids.contains(d.id()))
                && text.map(
                        t ->
                            Representations.inventoryDevice(d)
                                .toString()
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains(t))
                    .orElse(true),
        Optional.ofNullable(order).map(o -> o.thenComparing(Device::id)),
        d ->
            selected.isEmpty()
                ? Representations.inventoryDevice(d)
                : Representations.inventoryDevice(d, selected));
  }

  /** A criterion's {@code scope} and {@code attribute}. */
  private static AttributeKey key(JsonNode criterion, String field) {
    return AttributeKey.of(
        Scope.fromWireName(field + ".scope", Json.text(criterion, field + ".scope")),
        Json.text(criterion, field + ".attribute"));
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
