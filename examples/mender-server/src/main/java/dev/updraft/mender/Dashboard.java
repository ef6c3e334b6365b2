package dev.updraft.mender;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.UpdraftException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.DeploymentPreview;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.group.Filter;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.rollout.Explanation;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.mender.Router.Access;
import dev.updraft.mender.ui.Views;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The dashboard, at {@code /ui/}: server-rendered HTML (jte templates, compiled at build time and
 * HTML-escaped), whose live parts htmx refreshes every two seconds. Signing in takes the admin
 * token and gives an HttpOnly, SameSite=Strict session cookie; every action (a POST) must carry the
 * session's CSRF token, in a form field or the {@code X-CSRF-Token} header htmx sends. Pages forbid
 * framing and load scripts and styles only from the server.
 */
final class Dashboard {
  static final String COOKIE = "updraft_ui";
  private static final String UI = "/ui";
  private static final String HTMX =
      "META-INF/resources/webjars/htmx.org/" + webjarVersion("htmx.org") + "/dist/htmx.min.js";

  /** The most devices a search shows. */
  static final int DEVICES_SHOWN = 50;

  private final Updraft engine;
  private final Authority authority;
  private final DeviceAuthApi deviceAuth;
  private final ArtifactsApi artifacts;
  private final DeploymentsApi deployments;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  Dashboard(
      Updraft engine,
      Authority authority,
      DeviceAuthApi deviceAuth,
      ArtifactsApi artifacts,
      DeploymentsApi deployments) {
    this.engine = engine;
    this.authority = authority;
    this.deviceAuth = deviceAuth;
    this.artifacts = artifacts;
    this.deployments = deployments;
  }

  void routes(Router router) {
    router
        .route(
            "GET",
            UI + "/static/htmx.min.js",
            Access.OPEN,
            call -> resource(call, HTMX, "text/javascript"))
        .route(
            "GET",
            UI + "/static/ui.css",
            Access.OPEN,
            call -> resource(call, "ui/ui.css", "text/css"))
        .route("GET", UI + "/login", Access.OPEN, this::login)
        .route("POST", UI + "/login", Access.OPEN, this::signIn)
        .route("POST", UI + "/logout", Access.OPEN, call -> act(call, session -> signOut(call)))
        .route(
            "GET",
            UI + "/",
            Access.OPEN,
            call ->
                page(
                    call,
                    session ->
                        html(
                            call,
                            200,
                            "deployments.jte",
                            Map.of(
                                "page",
                                new Views.Page("Deployments", authority.csrfToken(session)),
                                "rows",
                                rows()))))
        .route(
            "GET",
            UI + "/fragments/deployments",
            Access.OPEN,
            call ->
                page(
                    call, session -> html(call, 200, "deploymentRows.jte", Map.of("rows", rows()))))
        .route(
            "GET",
            UI + "/deployments/{id}",
            Access.OPEN,
            call -> page(call, s -> deployment(call, s)))
        .route(
            "GET",
            UI + "/fragments/deployments/{id}",
            Access.OPEN,
            call ->
                page(
                    call,
                    session ->
                        html(
                            call,
                            200,
                            "deploymentLive.jte",
                            Map.of(
                                "view",
                                view(call.parameter("id")),
                                "csrf",
                                authority.csrfToken(session)))))
        .route("POST", UI + "/deployments/{id}/{action}", Access.OPEN, this::control)
        .route(
            "GET",
            UI + "/deployments/{id}/devices/{device}/log",
            Access.OPEN,
            call -> page(call, session -> log(call, session)))
        .route("GET", UI + "/devices", Access.OPEN, call -> page(call, s -> devices(call, s)))
        .route("GET", UI + "/devices/{id}", Access.OPEN, call -> page(call, s -> device(call, s)))
        .route("POST", UI + "/devices/{id}/auth/{aid}/{status}", Access.OPEN, this::admit)
        .route("GET", UI + "/releases", Access.OPEN, call -> page(call, s -> releases(call, s)))
        .streaming("POST", UI + "/releases/upload", Access.OPEN, this::upload)
        .route("POST", UI + "/deployments/preview", Access.OPEN, call -> creation(call, false))
        .route("POST", UI + "/deployments/create", Access.OPEN, call -> creation(call, true));
  }

  // ------------------------------------------------------------------ sessions

  /** What a signed-in request does, given its session. */
  @FunctionalInterface
  private interface SignedIn {
    void handle(String session) throws IOException;
  }

  /** The session the request's cookie holds, if it is a valid one. */
  private Optional<String> session(Call call) {
    for (String cookie : call.header("Cookie").orElse("").split(";")) {
      String trimmed = cookie.trim();
      if (trimmed.startsWith(COOKIE + "=")) {
        String value = trimmed.substring(COOKIE.length() + 1);
        return authority.uiSessionValid(value) ? Optional.of(value) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A page for the signed in; others are sent to sign in (303). */
  private void page(Call call, SignedIn page) throws IOException {
    Optional<String> session = session(call);
    if (session.isEmpty()) {
      call.header("Location", UI + "/login");
      call.empty(303);
      return;
    }
    page.handle(session.get());
  }

  /**
   * An action: 403 without a valid session, or without its CSRF token (in the {@code X-CSRF-Token}
   * header, or a form field).
   */
  private void act(Call call, SignedIn action) throws IOException {
    act(call, true, action);
  }

  /**
   * An action, its CSRF token looked for in a form field too unless the body is streamed (an
   * upload, checked before a byte of it is read: the token must come as a header).
   */
  private void act(Call call, boolean inForm, SignedIn action) throws IOException {
    Optional<String> session = session(call);
    if (session.isEmpty()) {
      throw ApiException.forbidden("not signed in to the dashboard");
    }
    String token =
        call.header("X-CSRF-Token")
            .orElseGet(() -> inForm ? form(call).getOrDefault("csrf", "") : "");
    if (!authority.csrfValid(session.get(), token)) {
      throw ApiException.forbidden("missing or wrong CSRF token");
    }
    action.handle(session.get());
  }

  private void signIn(Call call) throws IOException {
    String token = form(call).getOrDefault("token", "");
    try {
      authority.admin(Optional.of(token));
    } catch (ApiException wrong) {
      html(
          call,
          401,
          "login.jte",
          Map.of("page", new Views.Page("Sign in", ""), "error", "That is not the admin token."));
      return;
    }
    setCookie(call, authority.uiSession(), Authority.UI_SESSION.toSeconds());
    call.header("Location", UI + "/");
    call.empty(303);
  }

  private void signOut(Call call) {
    setCookie(call, "", 0);
    call.header("Location", UI + "/login");
    call.empty(303);
  }

  private static void setCookie(Call call, String value, long maxAge) {
    call.header(
        "Set-Cookie",
        COOKIE
            + "="
            + value
            + "; Path="
            + UI
            + "; Max-Age="
            + maxAge
            + "; HttpOnly; SameSite=Strict"
            + (call.baseUrl().startsWith("https:") ? "; Secure" : ""));
  }

  /** A form body's fields ({@code application/x-www-form-urlencoded}), the first of each name. */
  private static Map<String, String> form(Call call) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : new String(call.body(), StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  // ------------------------------------------------------------------ pages

  private void login(Call call) {
    html(call, 200, "login.jte", Map.of("page", new Views.Page("Sign in", ""), "error", ""));
  }

  /** The most devices a page of a deployment's devices shows. */
  static final int DEVICES_PER_PAGE = 20;

  /** A deployment: its live part, and its devices, by status, a page at a time. */
  private void deployment(Call call, String session) {
    Views.DeploymentView view = view(call.parameter("id"));
    String id = view.row().id();
    String status = call.query("status").orElse("");
    int page = call.queryInt("page", 1, Integer.MAX_VALUE);
    Optional<DeviceDeploymentStatus> only =
        status.isEmpty()
            ? Optional.empty()
            : Optional.of(DeviceDeploymentStatus.fromWireName("status", status));
    List<Views.DeviceInDeployment> devices = new ArrayList<>();
    long skip = (long) (page - 1) * DEVICES_PER_PAGE;
    long[] seen = {0};
    Pages.each(
        p ->
            only.isPresent()
                ? engine.deviceDeployments(id, only.get(), p)
                : engine.deviceDeployments(id, p),
        r -> {
          if (seen[0] >= skip && devices.size() <= DEVICES_PER_PAGE) {
            devices.add(
                new Views.DeviceInDeployment(
                    r.deviceId(), r.status().wireName(), r.attempts(), r.logAvailable()));
          }
          seen[0]++;
        });
    boolean more = devices.size() > DEVICES_PER_PAGE;
    html(
        call,
        200,
        "deployment.jte",
        Map.of(
            "page",
            new Views.Page(view.row().name(), authority.csrfToken(session)),
            "view",
            view,
            "devices",
            new Views.DevicesPage(
                status, more ? devices.subList(0, DEVICES_PER_PAGE) : devices, page, more)));
  }

  /** Pause, resume or abort, then back to the deployment's page (303). */
  private void control(Call call) throws IOException {
    act(
        call,
        session -> {
          String id = deploymentOf(call.parameter("id")).id();
          switch (call.parameter("action")) {
            case "pause" -> engine.pause(id);
            case "resume" -> engine.resume(id);
            case "abort" -> engine.abort(id);
            default ->
                throw ApiException.notFound(
                    "no such action " + LogText.quote(call.parameter("action")));
          }
          call.header("Location", UI + "/deployments/" + id);
          call.empty(303);
        });
  }

  private void log(Call call, String session) {
    String id = deploymentOf(call.parameter("id")).id();
    String device = call.parameter("device");
    DeploymentLog log =
        engine
            .log(id, device)
            .orElseThrow(() -> ApiException.notFound("no log of " + device + " in " + id));
    StringBuilder text = new StringBuilder();
    log.messages()
        .forEach(
            m ->
                text.append(m.timestamp())
                    .append(' ')
                    .append(m.level())
                    .append(' ')
                    .append(m.text())
                    .append('\n'));
    html(
        call,
        200,
        "log.jte",
        Map.of(
            "page",
            new Views.Page("Log of " + device, authority.csrfToken(session)),
            "deploymentId",
            id,
            "log",
            text.toString()));
  }

  /** Accept or reject one auth set, then back to where the action came from (303). */
  private void admit(Call call) throws IOException {
    act(
        call,
        session -> {
          AdmissionStatus status = AdmissionStatus.fromWireName("status", call.parameter("status"));
          if (status != AdmissionStatus.ACCEPTED && status != AdmissionStatus.REJECTED) {
            throw ApiException.badRequest("status: accepted or rejected");
          }
          deviceAuth.admit(call.parameter("id"), call.parameter("aid"), status);
          call.header("Location", UI + "/devices/" + call.parameter("id"));
          call.empty(303);
        });
  }

  /** The term rows the devices page offers. */
  static final int TERMS = 3;

  /**
   * The devices, or those the filter terms filled in match, as dynamic groups' terms: each {@code
   * scope}, {@code attribute}, {@code operator}, {@code value} repeated, one per term ({@code $in}
   * and {@code $nin} take values separated by commas, {@code $exists} true or false). Terms the
   * engine refuses are shown with why.
   */
  private void devices(Call call, String session) {
    List<String> scopes = call.queryAll("scope");
    List<String> attributes = call.queryAll("attribute");
    List<String> operators = call.queryAll("operator");
    List<String> values = call.queryAll("value");
    List<Views.TermView> terms = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    for (int i = 0; i < TERMS; i++) {
      Views.TermView term =
          new Views.TermView(
              i < scopes.size() ? scopes.get(i) : "inventory",
              i < attributes.size() ? attributes.get(i).trim() : "",
              i < operators.size() ? operators.get(i) : "$eq",
              i < values.size() ? values.get(i) : "");
      terms.add(term);
      if (!term.attribute().isEmpty()) {
        Object compared =
            switch (term.operator()) {
              case "$in", "$nin" -> List.of(term.value().split(","));
              case "$exists" -> Boolean.parseBoolean(term.value());
              default -> term.value();
            };
        json.add(
            Map.of(
                "scope",
                term.scope(),
                "attribute",
                term.attribute(),
                "type",
                term.operator(),
                "value",
                compared));
      }
    }
    String error = "";
    Optional<Filter> filter = Optional.empty();
    if (!json.isEmpty()) {
      try {
        filter = Optional.of(Filter.fromJson(json));
      } catch (InvalidInputException refused) {
        error = refused.getMessage();
      }
    }
    List<Views.DeviceRow> rows = new ArrayList<>();
    long[] total = {0};
    if (error.isEmpty()) {
      Optional<Filter> chosen = filter;
      Pages.each(
          page -> chosen.isPresent() ? engine.devices(chosen.get(), page) : engine.devices(page),
          d -> {
            if (rows.size() < DEVICES_SHOWN) {
              rows.add(deviceRow(d));
            }
            total[0]++;
          });
    }
    html(
        call,
        200,
        "devices.jte",
        Map.of(
            "page",
            new Views.Page("Devices", authority.csrfToken(session)),
            "search",
            new Views.DeviceSearch(terms, error, rows, total[0])));
  }

  private Views.DeviceRow deviceRow(Device device) {
    return new Views.DeviceRow(
        device.id(),
        device.admission().wireName(),
        device.state().map(DeviceState::deviceType).orElse(""),
        device.state().map(DeviceState::artifactName).orElse(""),
        device.staticGroup().orElse(""),
        deviceAuth.authSetsOf(device.id()).stream()
            .filter(set -> set.status() == AdmissionStatus.PENDING)
            .map(AuthSets.AuthSet::id)
            .findFirst()
            .orElse(""));
  }

  /** A device: its admission, why it gets what it gets, its deployments, inventory and keys. */
  private void device(Call call, String session) {
    Device device =
        engine
            .device(call.parameter("id"))
            .orElseThrow(
                () -> ApiException.notFound("device " + call.parameter("id") + " not found"));
    List<Views.AttributeView> attributes = new ArrayList<>();
    for (Object attribute : (List<?>) Representations.inventoryDevice(device).get("attributes")) {
      Map<?, ?> json = (Map<?, ?>) attribute;
      attributes.add(
          new Views.AttributeView(
              String.valueOf(json.get("scope")),
              String.valueOf(json.get("name")),
              String.valueOf(json.get("value"))));
    }
    Map<String, String> names = new HashMap<>();
    List<Views.HistoryView> history = new ArrayList<>();
    for (DeviceDeployment record :
        engine.history(device.id(), PageRequest.first(DEVICES_SHOWN)).items()) {
      history.add(
          new Views.HistoryView(
              record.deploymentId(),
              nameOf(names, record.deploymentId()),
              record.status().wireName(),
              record.attempts(),
              record.logAvailable()));
    }
    List<Views.Explained> explained = new ArrayList<>();
    if (device.state().isPresent()) {
      Explanation explanation = engine.explain(device.id());
      for (Verdict verdict : explanation.verdicts()) {
        explained.add(
            new Views.Explained(
                verdict.deploymentId(),
                nameOf(names, verdict.deploymentId()),
                sentence(verdict),
                explanation.offered().equals(Optional.of(verdict.deploymentId()))));
      }
    }
    List<Views.AuthSetView> sets =
        deviceAuth.authSetsOf(device.id()).stream()
            .map(
                set ->
                    new Views.AuthSetView(
                        set.id(), set.status().wireName(), set.created().toString()))
            .toList();
    html(
        call,
        200,
        "device.jte",
        Map.of(
            "page",
            new Views.Page("Device " + device.id(), authority.csrfToken(session)),
            "view",
            new Views.DeviceView(deviceRow(device), attributes, sets, history, explained)));
  }

  // ------------------------------------------------------------------ releases

  /** Releases with their artifacts, the upload form and the creation form. */
  private void releases(Call call, String session) {
    List<Views.ReleaseView> releases = new ArrayList<>();
    Pages.each(
        engine::releases,
        r ->
            releases.add(
                new Views.ReleaseView(
                    r.name(),
                    String.join(", ", r.tags()),
                    r.artifacts().stream()
                        .map(
                            a ->
                                new Views.ArtifactView(
                                    a.id(),
                                    String.join(", ", a.deviceTypes()),
                                    a.depends().toString(),
                                    a.provides().toString(),
                                    String.join(", ", a.payloadTypes()),
                                    a.size()))
                        .toList())));
    List<List<String>> filters = new ArrayList<>();
    Pages.each(engine::filters, f -> filters.add(List.of(f.id(), f.name())));
    html(
        call,
        200,
        "releases.jte",
        Map.of(
            "page",
            new Views.Page("Releases", authority.csrfToken(session)),
            "releases",
            new Views.ReleasesPage(releases, engine.groups(), filters)));
  }

  /**
   * An upload from the dashboard (htmx, its CSRF token a header): the artifact taken in as through
   * the management API; what went wrong is shown, as the API would say it.
   */
  private void upload(Call call) throws IOException {
    act(
        call,
        false,
        session -> {
          try {
            Artifact artifact = artifacts.receiveForm(call);
            message(
                call, "Uploaded " + artifact.name() + " (artifact " + artifact.id() + ").", false);
          } catch (ApiException | UpdraftException refused) {
            message(call, "Refused: " + refused.getMessage(), true);
          }
        });
  }

  /**
   * The creation form previewed ({@code create} false) or created, then the new deployment's page
   * (htmx follows {@code HX-Redirect}); a refusal is shown, naming the field.
   */
  private void creation(Call call, boolean create) throws IOException {
    act(
        call,
        session -> {
          try {
            Map<String, String> form = form(call);
            DeploymentsApi.Target target =
                switch (form.getOrDefault("target", "all")) {
                  case "devices" -> DeploymentsApi.Target.DEVICES;
                  case "group" -> DeploymentsApi.Target.GROUP;
                  case "filter" -> DeploymentsApi.Target.FILTER;
                  default -> DeploymentsApi.Target.DEVICES;
                };
            DeploymentRequest request =
                deployments.request(
                    Json.MAPPER.valueToTree(creationBody(form)),
                    target,
                    form.getOrDefault("group", ""));
            if (create) {
              String id = engine.createDeployment(request).deployment().id();
              call.header("HX-Redirect", UI + "/deployments/" + id);
              call.empty(200);
              return;
            }
            DeploymentPreview preview = engine.preview(request);
            html(
                call,
                200,
                "preview.jte",
                Map.of(
                    "preview",
                    new Views.PreviewView(
                        preview.devices(),
                        preview.phaseSizes(),
                        preview.noCompatibleArtifact().entrySet().stream()
                            .map(e -> e.getValue() + " of type " + e.getKey())
                            .toList(),
                        preview.overlapping().entrySet().stream()
                            .map(e -> e.getValue() + " in " + nameOf(new HashMap<>(), e.getKey()))
                            .toList())));
          } catch (ApiException | UpdraftException refused) {
            message(call, "Refused: " + refused.getMessage(), true);
          }
        });
  }

  /** The management API's creation body for the dashboard's form. */
  private static Map<String, Object> creationBody(Map<String, String> form) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", form.getOrDefault("name", ""));
    body.put("artifact_name", form.getOrDefault("artifact_name", ""));
    switch (form.getOrDefault("target", "all")) {
      case "devices" ->
          body.put(
              "devices",
              java.util.Arrays.stream(form.getOrDefault("devices", "").split(","))
                  .map(String::trim)
                  .filter(d -> !d.isEmpty())
                  .toList());
      case "filter" -> body.put("filter_id", form.getOrDefault("filter_id", ""));
      case "group" -> {}
      default -> body.put("all_devices", true);
    }
    String phases = form.getOrDefault("phases", "").trim();
    if (!phases.isEmpty()) {
      // each phase after the first opens phase_minutes after the one before
      long minutes = integer("phase_minutes", form.getOrDefault("phase_minutes", "60").trim());
      Instant start = Instant.now();
      List<Object> list = new ArrayList<>();
      for (String share : phases.split(",")) {
        Map<String, Object> phase = new HashMap<>();
        phase.put("batch_size", integer("phases", share.trim()));
        if (!list.isEmpty()) {
          phase.put("start_ts", start.toString());
        }
        list.add(phase);
        start = start.plusSeconds(minutes * 60);
      }
      list.add(Map.of("start_ts", start.toString()));
      body.put("phases", list);
    }
    String max = form.getOrDefault("max_devices", "").trim();
    if (!max.isEmpty()) {
      body.put("max_devices", integer("max_devices", max));
    }
    String ratio = form.getOrDefault("guard_ratio", "").trim();
    if (!ratio.isEmpty()) {
      double parsed;
      try {
        parsed = Double.parseDouble(ratio);
      } catch (NumberFormatException notOne) {
        throw ApiException.badRequest("guard_ratio: " + LogText.quote(ratio) + " is not a number");
      }
      body.put(
          "guard",
          Map.of(
              "max_failure_ratio",
              parsed,
              "min_sample",
              integer("guard_sample", form.getOrDefault("guard_sample", "1").trim()),
              "action",
              form.getOrDefault("guard_action", "pause")));
    }
    return body;
  }

  private static int integer(String field, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException notOne) {
      throw ApiException.badRequest(field + ": " + LogText.quote(text) + " is not a whole number");
    }
  }

  private void message(Call call, String message, boolean error) {
    html(call, 200, "message.jte", Map.of("message", message, "error", error));
  }

  private String nameOf(Map<String, String> names, String deploymentId) {
    return names.computeIfAbsent(
        deploymentId, id -> engine.deployment(id).map(Deployment::name).orElse(id));
  }

  /** Why a device gets, or does not get, a deployment, as a sentence. */
  static String sentence(Verdict verdict) {
    String detail = verdict.detail().isEmpty() ? "" : " (" + verdict.detail() + ")";
    return switch (verdict.reason()) {
      case UNKNOWN_DEVICE -> "Updraft does not know this device.";
      case NOT_ACCEPTED -> "The device is not accepted, so it gets nothing.";
      case CONTINUED -> "It is part way through this deployment and goes on with it" + detail + ".";
      case OFFERED -> "It gets this deployment now" + detail + ".";
      case NO_ARTIFACT -> "No artifact of the release fits it" + detail + ".";
      case ALREADY_INSTALLED -> "It runs this release already.";
      case STATE_CHANGED -> "What it runs changed since it began" + detail + ".";
      case TIMED_OUT -> "It went too long without a report" + detail + ".";
      case BEHIND_ANOTHER -> "It takes another deployment first" + detail + ".";
      case FINISHED -> "The deployment has finished.";
      case OLDER_THAN_LAST_FINISHED -> "It finished a newer deployment" + detail + ".";
      case NOT_TARGETED -> "The deployment is not for it.";
      case FILTER_MISMATCH -> "It does not match the deployment's filter" + detail + ".";
      case SCHEDULED -> "The deployment has not begun" + detail + ".";
      case PAUSED -> "The deployment is paused.";
      case FULL -> "The deployment has all the devices it may take" + detail + ".";
      case PHASE_NOT_OPEN -> "No phase is open for it" + detail + ".";
      case NOTHING_ELIGIBLE -> "No active deployment is for it" + detail + ".";
    };
  }

  private Deployment deploymentOf(String id) {
    return engine
        .deployment(id)
        .orElseThrow(() -> ApiException.notFound("deployment " + id + " not found"));
  }

  // ------------------------------------------------------------------ views

  /** The deployments, newest first. */
  private List<Views.DeploymentRow> rows() {
    Instant now = Instant.now();
    List<Deployment> all = new ArrayList<>();
    Pages.each(engine::deployments, all::add);
    all.sort(Comparator.comparing(Deployment::created).thenComparing(Deployment::id).reversed());
    return all.stream().map(d -> row(d, now)).toList();
  }

  private static Views.DeploymentRow row(Deployment deployment, Instant now) {
    List<PhaseStatus> phases = deployment.phaseStatuses(now);
    String phaseSummary =
        phases.stream()
            .filter(p -> p.waitingFor().isPresent() || !p.full())
            .findFirst()
            .map(
                p ->
                    "phase "
                        + (p.index() + 1)
                        + " of "
                        + phases.size()
                        + p.waitingFor().map(w -> " waits for " + w).orElse(" open"))
            .orElse(phases.size() + (phases.size() == 1 ? " phase, full" : " phases, all full"));
    String guard =
        deployment.options().guard().isEmpty()
            ? "none"
            : deployment
                .guardTrip()
                .map(t -> "tripped (" + t.failed() + " of " + t.tried() + " failed)")
                .orElse("armed");
    return new Views.DeploymentRow(
        deployment.id(),
        deployment.name(),
        deployment.releaseName(),
        deployment.status(now).wireName(),
        progress(deployment),
        deployment.isActive() ? phaseSummary : "",
        guard);
  }

  private static Views.Progress progress(Deployment deployment) {
    Map<String, Long> counts = deployment.statistics().toMap();
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    List<Views.Segment> segments = new ArrayList<>();
    double offset = 0;
    for (DeviceDeploymentStatus status : DeviceDeploymentStatus.values()) {
      long count = counts.get(status.wireName());
      if (count > 0) {
        double percent = 100.0 * count / total;
        segments.add(new Views.Segment(status.wireName(), count, offset, percent));
        offset += percent;
      }
    }
    return new Views.Progress(total, segments);
  }

  private Views.DeploymentView view(String id) {
    Deployment deployment = deploymentOf(id);
    Instant now = Instant.now();
    List<Views.PhaseView> phases = new ArrayList<>();
    for (PhaseStatus phase : deployment.phaseStatuses(now)) {
      phases.add(
          new Views.PhaseView(
              phase.index() + 1,
              deployment
                  .phaseStart(phase.index())
                  .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                  .toString(),
              deployment.phaseCounts().get(phase.index()),
              phase
                  .waitingFor()
                  .map(w -> "waits for " + w)
                  .orElse(phase.full() ? "full" : "open")));
    }
    Optional<Views.GuardView> guard =
        deployment
            .options()
            .guard()
            .map(
                g ->
                    new Views.GuardView(
                        rule(g),
                        deployment
                            .guardTrip()
                            .map(
                                trip ->
                                    "tripped: "
                                        + trip.failed()
                                        + " of "
                                        + trip.tried()
                                        + " failed, "
                                        + trip.action().wireName()
                                        + " at "
                                        + trip.at()
                                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                            .orElse(
                                "armed: "
                                    + deployment.guardFailed()
                                    + " of "
                                    + deployment.guardTried()
                                    + " failed so far"),
                        deployment.guardTrip().isPresent()));
    return new Views.DeploymentView(
        row(deployment, now), deployment.paused(), deployment.isActive(), phases, guard);
  }

  private static String rule(Guard guard) {
    return String.format(
        Locale.ROOT,
        "%s when more than %.0f%% of at least %d devices fail",
        guard.action().wireName(),
        guard.maxFailureRatio() * 100,
        guard.minSample());
  }

  // ------------------------------------------------------------------ rendering

  private void html(Call call, int code, String template, Map<String, Object> model) {
    StringOutput out = new StringOutput();
    templates.render(template, model, out);
    call.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    call.header("X-Frame-Options", "DENY");
    call.header("Referrer-Policy", "no-referrer");
    call.header("Cache-Control", "no-store");
    call.bytes(code, "text/html; charset=utf-8", out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void resource(Call call, String path, String contentType) throws IOException {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw ApiException.notFound("no " + path);
      }
      call.header("Cache-Control", "max-age=3600");
      call.bytes(200, contentType + "; charset=utf-8", in.readAllBytes());
    }
  }

  /** The version of a webjar on the class path, from its Maven properties. */
  private static String webjarVersion(String artifact) {
    String properties = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException("the webjar " + artifact + " is not on the class path");
      }
      Properties read = new Properties();
      read.load(in);
      return read.getProperty("version");
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
