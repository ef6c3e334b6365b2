package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's sign-in, session cookie and CSRF protection, attacked over plain HTTP. */
class DashboardSecurityTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path directory;
  private TestServer server;
  private String deployment;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    String device = server.acceptedDevice("bb:00:00:00:15:01");
    deployment = server.deployTo("<script>alert(1)</script>", "app-1", List.of(device));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Http.Reply form(String path, Map<String, String> fields, String cookie) {
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (name, value) ->
            body.append(body.isEmpty() ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    HttpRequest.Builder request =
        server
            .anonymous
            .request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (!cookie.isEmpty()) {
      request.header("Cookie", cookie);
    }
    return server.anonymous.send(request);
  }

  private Http.Reply get(String path, String cookie) {
    HttpRequest.Builder request = server.anonymous.request(path).GET();
    if (!cookie.isEmpty()) {
      request.header("Cookie", cookie);
    }
    return server.anonymous.send(request);
  }

  /** Signs in; returns the session cookie as a request sends it. */
  private String signIn() {
    Http.Reply signedIn = form("/ui/login", Map.of("token", server.server.adminToken()), "");
    assertThat(signedIn.status()).isEqualTo(303);
    String setCookie = signedIn.header("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/ui");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private boolean paused() {
    return server.deployment(deployment).path("paused").asBoolean();
  }

  @Test
  void signIn_needsTheAdminToken() {
    Http.Reply anonymous = get("/ui/", "");
    assertThat(anonymous.status()).isEqualTo(303);
    assertThat(anonymous.header("Location")).contains("/ui/login");
    Http.Reply wrong = form("/ui/login", Map.of("token", "guess"), "");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("Set-Cookie")).isEmpty();
    assertThat(get("/ui/", "updraft_ui=4102444800.forged").status())
        .as("a forged session")
        .isEqualTo(303);

    Http.Reply page = get("/ui/", signIn());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
    assertThat(page.header("X-Frame-Options")).contains("DENY");
    assertThat(page.text())
        .as("names are escaped")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert(1)</script>");
  }

  @Test
  void actions_needTheSessionAndItsCsrfToken() {
    String cookie = signIn();
    String action = "/ui/deployments/" + deployment + "/pause";
    Http.Reply page = get("/ui/deployments/" + deployment, cookie);
    Matcher csrf = CSRF.matcher(page.text());
    assertThat(csrf.find()).as(page.text()).isTrue();
    String token = csrf.group(1);

    assertThat(form(action, Map.of(), cookie).status()).as("no CSRF token").isEqualTo(403);
    assertThat(form(action, Map.of("csrf", "forged"), cookie).status()).isEqualTo(403);
    assertThat(form(action, Map.of("csrf", token), "").status()).as("no session").isEqualTo(403);
    assertThat(form(action, Map.of("csrf", token), signIn()).status())
        .as("another session's token")
        .isEqualTo(403);
    assertThat(paused()).as("refused actions change nothing").isFalse();

    Http.Reply done = form(action, Map.of("csrf", token), cookie);
    assertThat(done.status()).isEqualTo(303);
    assertThat(paused()).isTrue();
    Http.Reply viaHeader =
        server.anonymous.send(
            server
                .anonymous
                .request("/ui/deployments/" + deployment + "/resume")
                .header("Cookie", cookie)
                .header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(viaHeader.status()).as("htmx sends the token as a header").isEqualTo(303);
    assertThat(paused()).isFalse();
  }
}
