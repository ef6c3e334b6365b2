package dev.updraft.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuickstartMainTest {
  private static String runQuickstart(long seed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new QuickstartMain(new PrintStream(bytes, true, StandardCharsets.UTF_8), seed).run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("the phased rollout reaches all 800 production devices; the capped one hands out 40")
  void run_endsWithBothDeploymentsFinished() {
    String output = runQuickstart(42);

    assertThat(output).contains("round  8  t+ 7m");
    assertThat(output).containsPattern("(?m)^id-1 +finished +800 +0 +\\d+ +\\d+ +0 +0$");
    assertThat(output).containsPattern("(?m)^id-3 +finished +40 +0 +\\d+ +\\d+ +\\d+ +0$");
  }

  @Test
  @DisplayName(
      "the guarded app-2.2 pauses on beaglebone failures, explains two devices, and after the fix"
          + " and resume reaches every device")
  void run_guardPausesThenResumes() {
    String output = runQuickstart(42);

    assertThat(output).containsPattern("id-4 is paused: guard tripped at .*: \\d+ of 20 devices");
    assertThat(output)
        .containsPattern(
            "explain dev-\\d+ \\(beaglebone, [^)]*\\):\\n"
                + "  id-4: OLDER_THAN_LAST_FINISHED \\(the device finished it: failure\\)");
    assertThat(output)
        .containsPattern("explain dev-\\d+ \\(raspberrypi4, [^)]*\\):\\n  id-4: PAUSED");
    assertThat(output).containsPattern("(?m)^id-4 +finished +1000 +0 +\\d+ +\\d+ +0 +0$");
  }

  @Test
  @DisplayName("the quickstart is deterministic for a seed")
  void run_isDeterministic() {
    assertThat(runQuickstart(7)).isEqualTo(runQuickstart(7));
  }
}
