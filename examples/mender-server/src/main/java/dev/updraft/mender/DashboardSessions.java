package dev.updraft.mender;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's sessions: the signed session cookie (HttpOnly, SameSite=Strict), pages for the
 * signed in only, and actions that must also carry the session's CSRF token.
 */
final class DashboardSessions {
  static final String COOKIE = "updraft_ui";
  private static final String UI = "/ui";

  private final Authority authority;

  DashboardSessions(Authority authority) {
    this.authority = authority;
  }

  /** What a signed-in request does, given its session. */
  @FunctionalInterface
  interface SignedIn {
    void handle(String session) throws IOException;
  }

  /** The session the request's cookie holds, if it is a valid one. */
  Optional<String> session(Call call) {
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
  void page(Call call, SignedIn page) throws IOException {
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
  void act(Call call, SignedIn action) throws IOException {
    act(call, true, action);
  }

  /**
   * An action, its CSRF token looked for in a form field too unless the body is streamed (an
   * upload, checked before a byte of it is read: the token must come as a header).
   */
  void act(Call call, boolean inForm, SignedIn action) throws IOException {
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

  static void setCookie(Call call, String value, long maxAge) {
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
  static Map<String, String> form(Call call) {
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
}
