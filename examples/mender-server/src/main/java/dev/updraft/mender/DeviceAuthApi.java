package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.engine.Updraft;
import dev.updraft.mender.AuthSets.AuthSet;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Device authentication as Mender's deviceauth has it: the device's auth request, and the
 * management API v2 over devices and their auth sets.
 *
 * <p>An identity names one device; each key it asks with is an auth set of that device, with its
 * own status. The device's admission, which Updraft keeps and deployments read, follows from its
 * auth sets [M]: accepted when one is, else preauthorized, pending, rejected, in that order, and
 * {@code noauth} with none. At most one auth set of a device is accepted: accepting one rejects the
 * other [M]. A device authenticates only with its accepted key, and holds one token at a time (its
 * {@code jti} is stored with the auth set): a new token, a rejection, a revocation or a
 * decommission ends the one before.
 *
 * <p>Auth sets are committed first, then the admission Updraft keeps; a crash between the two
 * leaves the admission behind until the device's next auth request or the next change of one of its
 * auth sets, which both set it again.
 */
final class DeviceAuthApi {
  static final String DEVAUTH = "/api/management/v2/devauth";
  private static final String DEVICES = DEVAUTH + "/devices";

  /** An auth request (anyone may send one) holds an identity and a public key: 64 KiB at most. */
  static final long MAX_AUTH_REQUEST_BYTES = 64 * 1024;

  private final Updraft engine;
  private final Authority authority;
  private final AuthSets authSets;
  private final Clock clock;

  DeviceAuthApi(Updraft engine, Authority authority, AuthSets authSets, Clock clock) {
    this.engine = engine;
    this.authority = authority;
    this.authSets = authSets;
    this.clock = clock;
  }

  void routes(Router router) {
    router
        .route(
            "POST",
            "/api/devices/v1/authentication/auth_requests",
            Access.OPEN,
            MAX_AUTH_REQUEST_BYTES,
            this::authRequest)
        .route("GET", DEVICES, Access.ADMIN, this::list)
        .route("POST", DEVICES, Access.ADMIN, this::preauthorize)
        .route("GET", DEVICES + "/count", Access.ADMIN, this::count)
        .route("POST", DEVICES + "/search", Access.ADMIN, this::search)
        .route(
            "GET",
            DEVAUTH + "/limits/max_devices",
            Access.ADMIN,
            call -> call.json(200, Map.of("limit", 0)))
        .route("DELETE", DEVAUTH + "/tokens/{id}", Access.ADMIN, this::revoke)
        .route("GET", DEVICES + "/{id}", Access.ADMIN, this::get)
        .route("DELETE", DEVICES + "/{id}", Access.ADMIN, this::decommission)
        .route("DELETE", DEVICES + "/{id}/auth/{aid}", Access.ADMIN, this::deleteAuthSet)
        .route("PUT", DEVICES + "/{id}/auth/{aid}/status", Access.ADMIN, this::setStatus)
        .route("GET", DEVICES + "/{id}/auth/{aid}/status", Access.ADMIN, this::status);
  }

  /** An identity as the server keys it: its canonical JSON (keys sorted) and attributes. */
  private record Identity(String canonical, Map<String, Object> attributes) {
    @SuppressWarnings("unchecked")
    static Identity of(JsonNode json) {
      Map<String, Object> sorted = new TreeMap<>((Map<String, Object>) Json.plain(json));
      return new Identity(new String(Json.write(sorted), StandardCharsets.UTF_8), sorted);
    }

    String id() {
      return DeviceKeys.identityId(canonical);
    }
  }

  // ------------------------------------------------------------------ the device's request

  /**
   * An auth request: the signature over the raw body must verify with the key in it. A key the
   * identity has not asked with before becomes a pending auth set of the identity's device (a new
   * device for a new identity); a preauthorized auth set becomes accepted. Only the accepted one
   * gets a token; any other is 401.
   */
  private void authRequest(Call call) throws IOException {
    byte[] body = call.body();
    JsonNode request = Json.object(Json.parse(body), "auth request");
    String idData = Json.text(request, "id_data");
    String pubkey = Json.text(request, "pubkey");
    Identity identity =
        Identity.of(Json.object(Json.parse(idData.getBytes(StandardCharsets.UTF_8)), "id_data"));
    byte[] der = DeviceKeys.der("pubkey", pubkey);
    String signature =
        call.header("X-MEN-Signature")
            .orElseThrow(() -> ApiException.unauthorized("missing X-MEN-Signature"));
    DeviceKeys.verify(der, body, signature);

    String aid = DeviceKeys.authSetId(identity.canonical(), der);
    AuthSet set = authSets.find(aid).orElseGet(() -> newAuthSet(aid, identity, der));
    String deviceId = set.deviceId();
    call.device(deviceId);
    if (engine.device(deviceId).isEmpty()) {
      engine.register(deviceId, Representations.attributes("id_data", identity.attributes()));
    }
    List<AuthSet> sets =
        set.status() == AdmissionStatus.PREAUTHORIZED
            ? authSets.setStatus(deviceId, aid, AdmissionStatus.ACCEPTED)
            : authSets.ofDevice(deviceId);
    follow(deviceId, sets);
    AdmissionStatus status =
        sets.stream().filter(s -> s.id().equals(aid)).findFirst().orElseThrow().status();
    call.detail(status.wireName());
    if (status != AdmissionStatus.ACCEPTED) {
      throw ApiException.unauthorized(
          "auth set " + aid + " of device " + deviceId + " is " + status.wireName());
    }
    String tokenId = UUID.randomUUID().toString();
    authSets.issueToken(aid, tokenId);
    call.bytes(
        200,
        "application/jwt",
        authority.deviceToken(deviceId, tokenId).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A new pending auth set of the identity's device. A device this server made before it kept auth
   * sets has the id of its first auth set, and keeps its admission.
   */
  private AuthSet newAuthSet(String aid, Identity identity, byte[] der) {
    String deviceId = authSets.deviceOf(identity.id(), aid);
    AdmissionStatus status =
        deviceId.equals(aid)
            ? engine
                .device(aid)
                .map(Device::admission)
                .filter(a -> a != AdmissionStatus.NOAUTH)
                .orElse(AdmissionStatus.PENDING)
            : AdmissionStatus.PENDING;
    AuthSet set =
        new AuthSet(
            aid, deviceId, identity.canonical(), DeviceKeys.pem(der), status, clock.instant());
    return authSets.insert(set) ? set : authSets.find(aid).orElseThrow();
  }

  /** Sets the admission Updraft keeps to what the device's auth sets make it. */
  private void follow(String deviceId, List<AuthSet> sets) {
    AdmissionStatus admission = admission(sets);
    Optional<Device> device = engine.device(deviceId);
    if (device.isPresent() && device.get().admission() != admission) {
      engine.setAdmission(deviceId, admission);
    }
  }

  /** A device's admission from its auth sets [M]. */
  static AdmissionStatus admission(List<AuthSet> sets) {
    for (AdmissionStatus status :
        List.of(
            AdmissionStatus.ACCEPTED,
            AdmissionStatus.PREAUTHORIZED,
            AdmissionStatus.PENDING,
            AdmissionStatus.REJECTED)) {
      if (sets.stream().anyMatch(s -> s.status() == status)) {
        return status;
      }
    }
    return AdmissionStatus.NOAUTH;
  }

  // ------------------------------------------------------------------ management

  private Device device(String id) {
    return engine
        .device(id)
        .orElseThrow(() -> ApiException.notFound("device " + id + " not found"));
  }

  private Object render(Device device) {
    return Representations.authDevice(device, authSets.ofDevice(device.id()));
  }

  private void get(Call call) throws IOException {
    call.json(200, render(device(call.parameter("id"))));
  }

  /** {@code status} and {@code id} (repeatable) filter the devices. */
  private void list(Call call) throws IOException {
    Optional<AdmissionStatus> status =
        call.query("status").map(s -> AdmissionStatus.fromWireName("status", s));
    List<String> ids = call.queryAll("id");
    Pages.respond(
        call,
        engine::devices,
        d ->
            status.map(s -> d.admission() == s).orElse(true)
                && (ids.isEmpty() || ids.contains(d.id())),
        this::render);
  }

  /**
   * {@code {"status": …, "id": …}}, each a string or an array of strings (any of them), either
   * absent for all: a page of the devices that match.
   */
  private void search(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "search");
    List<AdmissionStatus> statuses =
        oneOrMany(request, "status").stream()
            .map(s -> AdmissionStatus.fromWireName("status", s))
            .toList();
    List<String> ids = oneOrMany(request, "id");
    Pages.respond(
        call,
        engine::devices,
        d ->
            (statuses.isEmpty() || statuses.contains(d.admission()))
                && (ids.isEmpty() || ids.contains(d.id())),
        this::render);
  }

  /** A field that is absent, a string, or an array of strings. */
  private static List<String> oneOrMany(JsonNode request, String field) {
    Optional<JsonNode> value = Json.optional(request, field);
    if (value.isEmpty()) {
      return List.of();
    }
    return value.get().isTextual()
        ? List.of(Json.text(request, field))
        : Json.texts(value.get(), field);
  }

  private void count(Call call) throws IOException {
    Optional<AdmissionStatus> status =
        call.query("status").map(s -> AdmissionStatus.fromWireName("status", s));
    Predicate<Device> counted = d -> status.map(s -> d.admission() == s).orElse(true);
    long[] count = {0};
    Pages.each(
        engine::devices,
        d -> {
          if (counted.test(d)) {
            count[0]++;
          }
        });
    call.json(200, Map.of("count", count[0]));
  }

  /**
   * Preauthorizes an identity and key [M]: a new device, preauthorized, with that auth set; 201
   * with {@code Location}. When the identity names a device already: 409 with that device, unless
   * {@code force}, which makes the key a preauthorized auth set of it (a new one, or the one it
   * had).
   */
  private void preauthorize(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "preauthorization");
    Identity identity =
        Identity.of(Json.object(Json.required(request, "identity_data"), "identity_data"));
    byte[] der = DeviceKeys.der("pubkey", Json.text(request, "pubkey"));
    boolean force = Json.optionalBoolean(request, "force").orElse(false);
    Map<String, dev.updraft.core.device.AttributeValue> attributes =
        Representations.attributes("identity_data", identity.attributes());
    String aid = DeviceKeys.authSetId(identity.canonical(), der);
    String deviceId = authSets.deviceOf(identity.id(), aid);
    Optional<Device> existing = engine.device(deviceId);
    if (existing.isPresent() && !force) {
      call.json(409, render(existing.get()));
      return;
    }
    if (existing.isEmpty()) {
      engine.preauthorize(deviceId, attributes);
    }
    AuthSet set =
        new AuthSet(
            aid,
            deviceId,
            identity.canonical(),
            DeviceKeys.pem(der),
            AdmissionStatus.PREAUTHORIZED,
            clock.instant());
    follow(
        deviceId,
        authSets.insert(set)
            ? authSets.ofDevice(deviceId)
            : authSets.setStatus(deviceId, aid, AdmissionStatus.PREAUTHORIZED));
    call.header("Location", DEVICES + "/" + deviceId);
    call.empty(201);
  }

  /** The device goes (its open deployments finish as decommissioned), with its auth sets. */
  private void decommission(Call call) throws IOException {
    String id = call.parameter("id");
    engine.decommission(id);
    authSets.forget(id);
    call.empty(204);
  }

  /** {@code {"status": "accepted" | "rejected" | "pending"}} for one auth set. */
  private void setStatus(Call call) throws IOException {
    AdmissionStatus status =
        AdmissionStatus.fromWireName(
            "status", Json.text(Json.object(call.json(), "status update"), "status"));
    if (status == AdmissionStatus.PREAUTHORIZED || status == AdmissionStatus.NOAUTH) {
      throw ApiException.badRequest(
          "status: '" + status.wireName() + "' cannot be set; use accepted, rejected or pending");
    }
    admit(call.parameter("id"), call.parameter("aid"), status);
    call.empty(204);
  }

  /**
   * Sets one auth set's status and the device's admission with it (the management API and the
   * dashboard both). 404 for an unknown device or auth set.
   */
  void admit(String deviceId, String authSetId, AdmissionStatus status) {
    String id = device(deviceId).id();
    follow(id, authSets.setStatus(id, authSetId, status));
  }

  /** A device's auth sets, oldest first. */
  List<AuthSet> authSetsOf(String deviceId) {
    return authSets.ofDevice(deviceId);
  }

  private void status(Call call) throws IOException {
    AuthSet set =
        authSets
            .find(call.parameter("aid"))
            .filter(s -> s.deviceId().equals(call.parameter("id")))
            .orElseThrow(
                () -> ApiException.notFound("auth set " + call.parameter("aid") + " not found"));
    call.json(200, Map.of("status", set.status().wireName()));
  }

  /**
   * Removes one auth set [M]: removing the accepted one leaves the device not accepted; removing
   * the last one of a preauthorized device deletes the device; otherwise a device left without auth
   * sets is {@code noauth}.
   */
  private void deleteAuthSet(Call call) throws IOException {
    Device device = device(call.parameter("id"));
    List<AuthSet> left = authSets.delete(device.id(), call.parameter("aid"));
    if (left.isEmpty() && device.admission() == AdmissionStatus.PREAUTHORIZED) {
      engine.decommission(device.id());
      authSets.forget(device.id());
    } else {
      follow(device.id(), left);
    }
    call.empty(204);
  }

  /** Revokes a device token by its {@code jti}: 204; 404 when no auth set holds it. */
  private void revoke(Call call) throws IOException {
    if (!authSets.revoke(call.parameter("id"))) {
      throw ApiException.notFound("token " + call.parameter("id") + " not found");
    }
    call.empty(204);
  }
}
