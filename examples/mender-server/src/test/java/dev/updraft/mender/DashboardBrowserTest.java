package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}) driven by Selenium. Devices report through the device API while the browser
 * watches; screenshots of the pages go to {@code target/ui-screenshots}.
 */
@Tag("browser")
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target/ui-screenshots");
  private static final String NEXT =
      "/api/devices/v1/deployments/device/deployments/next?device_type=board&artifact_name=app-0";

  @TempDir Path directory;
  private TestServer server;
  private WebDriver browser;
  private WebDriverWait wait;

  /** Skips, or fails when {@code updraft.browser.required} is true (CI), without Chromium. */
  static void assumeBrowser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present && Boolean.getBoolean("updraft.browser.required")) {
      throw new AssertionError(
          "the browser tests are required but chromium or chromedriver is missing");
    }
    assumeThat(present)
        .as("chromium and chromedriver (Debian's chromium, chromium-driver)")
        .isTrue();
  }

  @BeforeEach
  void start() throws Exception {
    assumeBrowser();
    server = TestServer.embedded(directory.resolve("server"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(),
            options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private String url(String path) {
    return server.server.url() + path;
  }

  private void screenshot(String name) throws Exception {
    Files.write(
        SCREENSHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private void signIn() {
    browser.get(url("/ui/"));
    wait.until(ExpectedConditions.urlContains("/ui/login"));
    browser.findElement(By.id("token")).sendKeys(server.server.adminToken());
    browser.findElement(By.cssSelector("form.login button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployment-rows")));
  }

  /** Waits until the page (refreshed by htmx, never reloaded here) shows {@code text}. */
  private void awaitText(String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), text));
  }

  private boolean paused(String deployment) {
    return server.deployment(deployment).path("paused").asBoolean();
  }

  @Test
  void watchARollout_guardPauses_andActionsAct() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    List<Http> devices = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      SimulatedDevice device = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:16:0" + i);
      devices.add(server.admitted(device));
      ids.add(server.deviceWithMac(device.mac));
    }
    String deployment =
        server.createDeployment(
            TestServer.DEPLOYMENTS,
            Map.of(
                "name",
                "two phases",
                "artifact_name",
                "app-1",
                "devices",
                ids,
                "phases",
                List.of(
                    Map.of("batch_size", 50),
                    Map.of("start_ts", Instant.now().plusSeconds(3).toString())),
                "guard",
                Map.of("max_failure_ratio", 0.5, "min_sample", 2, "action", "pause")));

    signIn();
    awaitText("two phases");
    awaitText("pending: 4");
    awaitText("phase 1 of 2 open");
    assertThat(browser.findElement(By.cssSelector("td.guard-summary")).getText())
        .isEqualTo("armed");
    screenshot("deployments");

    report(devices.get(0), deployment, "success");
    awaitText("success: 1");
    report(devices.get(1), deployment, "failure");
    awaitText("failure: 1");

    browser.findElement(By.linkText("two phases")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployment-live")));
    awaitText("Phase 2");
    awaitText("armed: 1 of 2 failed so far");
    Thread.sleep(3_000); // the second phase opens
    report(devices.get(2), deployment, "failure");
    awaitText("tripped: 2 of 3 failed, pause");
    awaitText("paused");
    assertThat(paused(deployment)).isTrue();
    screenshot("deployment-guard-tripped");

    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status")))
        .selectByVisibleText("failure");
    browser.findElement(By.cssSelector("form.search button")).click();
    wait.until(ExpectedConditions.urlContains("status=failure"));
    assertThat(browser.findElements(By.cssSelector("table.deployment-devices tr[data-device]")))
        .hasSize(2);
    browser.findElement(By.linkText("log")).click();
    awaitText("the disk is full");
    browser.navigate().back();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployment-live")));

    browser.findElement(By.xpath("//button[text()='Resume']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//button[text()='Pause']")));
    assertThat(paused(deployment)).as("resumed from the page").isFalse();
    browser.findElement(By.xpath("//button[text()='Pause']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//button[text()='Resume']")));
    assertThat(paused(deployment)).as("paused from the page").isTrue();
    browser.findElement(By.xpath("//button[text()='Abort']")).click();
    awaitText("finished");
    assertThat(server.deployment(deployment).path("status").asText()).isEqualTo("finished");
    assertThat(server.statistics(deployment).path("aborted").asLong()).isEqualTo(1);
    screenshot("deployment-aborted");
  }

  @Test
  void devices_searchAdmitAndExplain() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    SimulatedDevice asking = new SimulatedDevice(KeyKind.EC, "bb:00:00:00:17:01");
    assertThat(asking.authenticate(server.anonymous).status()).isEqualTo(401);
    String id = server.deviceWithMac(asking.mac);
    String other = server.acceptedDevice("bb:00:00:00:17:02");

    signIn();
    browser.get(url("/ui/devices"));
    awaitText("2 devices match");
    screenshot("devices");
    browser.findElement(By.cssSelector("tr[data-device='" + id + "'] button:not(.danger)")).click();
    wait.until(ExpectedConditions.urlContains("/ui/devices/" + id));
    awaitText("Status accepted");
    assertThat(server.admin.get(TestServer.DEVAUTH + "/" + id).json().path("status").asText())
        .as("accepted from the page")
        .isEqualTo("accepted");

    Http device = server.anonymous.withToken(asking.authenticate(server.anonymous).text());
    assertThat(
            device
                .put(
                    "/api/devices/v1/inventory/device/attributes",
                    List.of(
                        Map.of("name", "device_type", "value", "board"),
                        Map.of("name", "artifact_name", "value", "app-0")))
                .status())
        .isEqualTo(200);
    server.deployTo("for it", "app-1", List.of(id));
    server.deployTo("for the other", "app-1", List.of(other));
    browser.navigate().refresh();
    awaitText("for it: It gets this deployment now");
    awaitText("for the other: The deployment is not for it.");
    screenshot("device");

    browser.get(url("/ui/devices"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("scope-1")))
        .selectByVisibleText("inventory");
    browser.findElement(By.id("attribute-1")).sendKeys("device_type");
    browser.findElement(By.id("value-1")).sendKeys("board");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("scope-2")))
        .selectByVisibleText("identity");
    browser.findElement(By.id("attribute-2")).sendKeys("mac");
    browser.findElement(By.id("value-2")).sendKeys(asking.mac);
    browser.findElement(By.cssSelector("form.terms > button")).click();
    awaitText("1 device matches");
    assertThat(browser.findElements(By.cssSelector("tr[data-device]"))).hasSize(1);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("operator-2")))
        .selectByVisibleText("$regex");
    browser.findElement(By.id("value-2")).clear();
    browser.findElement(By.id("value-2")).sendKeys("(unclosed");
    browser.findElement(By.cssSelector("form.terms > button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.error")));
  }

  @Test
  void releases_uploadPreviewAndCreate() throws Exception {
    server.uploaded(ArtifactFiles.write(directory, "app-1", "board"));
    String a = server.acceptedDevice("bb:00:00:00:18:01");
    String b = server.acceptedDevice("bb:00:00:00:18:02");
    Path good = ArtifactFiles.write(directory, "app-2", "board");
    Path bad = directory.resolve("bad.mender");
    Files.writeString(bad, "not an artifact ".repeat(64));

    signIn();
    browser.get(url("/ui/releases"));
    awaitText("app-1");
    browser.findElement(By.id("artifact")).sendKeys(bad.toAbsolutePath().toString());
    browser.findElement(By.cssSelector("form.upload button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("upload-result"), "Refused"));
    browser.findElement(By.id("artifact")).sendKeys(good.toAbsolutePath().toString());
    browser.findElement(By.cssSelector("form.upload button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("upload-result"), "Uploaded app-2"));
    assertThat(server.admin.get(TestServer.ARTIFACTS).json()).hasSize(2);

    browser.navigate().refresh();
    awaitText("app-2");
    browser.findElement(By.id("name")).sendKeys("from the page");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("release")))
        .selectByVisibleText("app-2");
    browser.findElement(By.cssSelector("input[name=target][value=devices]")).click();
    browser.findElement(By.id("devices")).sendKeys(a + "," + b);
    browser.findElement(By.id("phases")).sendKeys("50");
    browser.findElement(By.id("guard_ratio")).sendKeys("0.5");
    browser.findElement(By.xpath("//button[text()='Preview']")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("create-result"), "It would target 2 devices now"));
    assertThat(browser.findElements(By.cssSelector(".phase-size")))
        .extracting(org.openqa.selenium.WebElement::getText)
        .containsExactly("1", "1");
    screenshot("releases-preview");
    assertThat(server.admin.get(TestServer.DEPLOYMENTS).json())
        .as("a preview creates nothing")
        .isEmpty();

    browser.findElement(By.xpath("//button[text()='Create']")).click();
    wait.until(ExpectedConditions.urlContains("/ui/deployments/"));
    awaitText("Phase 2");
    String created = browser.getCurrentUrl().replaceAll(".*/ui/deployments/", "");
    assertThat(server.deployment(created).path("artifact_name").asText()).isEqualTo("app-2");
    assertThat(server.deployment(created).path("guard").path("max_failure_ratio").asDouble())
        .isEqualTo(0.5);
  }

  /** The device polls, is offered the deployment, and reports {@code status}. */
  private void report(Http device, String deployment, String status) {
    Http.Reply next = device.get(NEXT);
    assertThat(next.status()).as(next.text()).isEqualTo(200);
    assertThat(next.json().path("id").asText()).isEqualTo(deployment);
    if (status.equals("failure")) {
      assertThat(
              device
                  .put(
                      "/api/devices/v1/deployments/device/deployments/" + deployment + "/log",
                      Map.of(
                          "messages",
                          List.of(
                              Map.of(
                                  "timestamp",
                                  Instant.now().toString(),
                                  "level",
                                  "error",
                                  "message",
                                  "the disk is full"))))
                  .status())
          .isEqualTo(204);
    }
    TestServer.reportStatus(device, deployment, status);
  }
}
