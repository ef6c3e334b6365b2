package dev.updraft.mender;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.engine.Updraft;
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

  private final Updraft engine;
  private final Authority authority;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  Dashboard(Updraft engine, Authority authority) {
    this.engine = engine;
    this.authority = authority;
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
        .route("POST", UI + "/deployments/{id}/{action}", Access.OPEN, this::control);
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

  /** An action: 403 without a valid session, or without its CSRF token. */
  private void act(Call call, SignedIn action) throws IOException {
    Optional<String> session = session(call);
    if (session.isEmpty()) {
      throw ApiException.forbidden("not signed in to the dashboard");
    }
    String token = call.header("X-CSRF-Token").orElseGet(() -> form(call).getOrDefault("csrf", ""));
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

  private void deployment(Call call, String session) {
    Views.DeploymentView view = view(call.parameter("id"));
    html(
        call,
        200,
        "deployment.jte",
        Map.of(
            "page", new Views.Page(view.row().name(), authority.csrfToken(session)), "view", view));
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
    return new Views.DeploymentRow(
        deployment.id(),
        deployment.name(),
        deployment.releaseName(),
        deployment.status(now).wireName(),
        progress(deployment));
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
