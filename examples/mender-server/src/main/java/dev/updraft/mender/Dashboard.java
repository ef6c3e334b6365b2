package dev.updraft.mender;

import dev.updraft.core.InvalidInputException;
import dev.updraft.core.UpdraftException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentLog;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
  private final DashboardSessions sessions;
  private final DashboardViews views;
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
    this.sessions = new DashboardSessions(authority);
    this.views = new DashboardViews(engine);
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
        .route(
            "POST",
            UI + "/logout",
            Access.OPEN,
            call -> sessions.act(call, session -> signOut(call)))
        .route(
            "GET",
            UI + "/",
            Access.OPEN,
            call ->
                sessions.page(
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
                                views.rows()))))
        .route(
            "GET",
            UI + "/fragments/deployments",
            Access.OPEN,
            call ->
                sessions.page(
                    call,
                    session -> html(call, 200, "deploymentRows.jte", Map.of("rows", views.rows()))))
        .route(
            "GET",
            UI + "/deployments/{id}",
            Access.OPEN,
            call -> sessions.page(call, s -> deployment(call, s)))
        .route(
            "GET",
            UI + "/fragments/deployments/{id}",
            Access.OPEN,
            call ->
                sessions.page(
                    call,
                    session ->
                        html(
                            call,
                            200,
                            "deploymentLive.jte",
                            Map.of(
                                "view",
                                views.view(call.parameter("id")),
                                "csrf",
                                authority.csrfToken(session)))))
        .route("POST", UI + "/deployments/{id}/{action}", Access.OPEN, this::control)
        .route(
            "GET",
            UI + "/deployments/{id}/devices/{device}/log",
            Access.OPEN,
            call -> sessions.page(call, session -> log(call, session)))
        .route(
            "GET", UI + "/devices", Access.OPEN, call -> sessions.page(call, s -> devices(call, s)))
        .route(
            "GET",
            UI + "/devices/{id}",
            Access.OPEN,
            call -> sessions.page(call, s -> device(call, s)))
        .route("POST", UI + "/devices/{id}/auth/{aid}/{status}", Access.OPEN, this::admit)
        .route(
            "GET",
            UI + "/releases",
            Access.OPEN,
            call -> sessions.page(call, s -> releases(call, s)))
        .streaming("POST", UI + "/releases/upload", Access.OPEN, this::upload)
        .route("POST", UI + "/deployments/preview", Access.OPEN, call -> creation(call, false))
        .route("POST", UI + "/deployments/create", Access.OPEN, call -> creation(call, true));
  }

  // ------------------------------------------------------------------ sessions

  private void signIn(Call call) throws IOException {
    String token = DashboardSessions.form(call).getOrDefault("token", "");
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
    DashboardSessions.setCookie(call, authority.uiSession(), Authority.UI_SESSION.toSeconds());
    call.header("Location", UI + "/");
    call.empty(303);
  }

  private void signOut(Call call) {
    DashboardSessions.setCookie(call, "", 0);
    call.header("Location", UI + "/login");
    call.empty(303);
  }

  // ------------------------------------------------------------------ pages

  private void login(Call call) {
    html(call, 200, "login.jte", Map.of("page", new Views.Page("Sign in", ""), "error", ""));
  }

  /** The most devices a page of a deployment's devices shows. */
  static final int DEVICES_PER_PAGE = 20;

  /** A deployment: its live part, and its devices, by status, a page at a time. */
  private void deployment(Call call, String session) {
    Views.DeploymentView view = views.view(call.parameter("id"));
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
    sessions.act(
        call,
        session -> {
          String id = views.deploymentOf(call.parameter("id")).id();
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
    String id = views.deploymentOf(call.parameter("id")).id();
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
    sessions.act(
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
                DashboardViews.sentence(verdict),
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
    sessions.act(
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
    sessions.act(
        call,
        session -> {
          try {
            Map<String, String> form = DashboardSessions.form(call);
            DeploymentsApi.Target target =
                switch (form.getOrDefault("target", "all")) {
                  case "devices" -> DeploymentsApi.Target.DEVICES;
                  case "group" -> DeploymentsApi.Target.GROUP;
                  case "filter" -> DeploymentsApi.Target.FILTER;
                  default -> DeploymentsApi.Target.DEVICES;
                };
            DeploymentRequest request =
                deployments.request(
                    Json.MAPPER.valueToTree(CreationForm.body(form)),
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

  private void message(Call call, String message, boolean error) {
    html(call, 200, "message.jte", Map.of("message", message, "error", error));
  }

  private String nameOf(Map<String, String> names, String deploymentId) {
    return names.computeIfAbsent(
        deploymentId, id -> engine.deployment(id).map(Deployment::name).orElse(id));
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
