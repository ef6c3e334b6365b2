package dev.updraft.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuickstartMainTest {
  private static String runQuickstart() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new QuickstartMain(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("the quickstart ends with the statistics its scenario leads to")
  void run_printsDecisionsAndFinalStatistics() {
    String output = runQuickstart();

    assertThat(output)
        .contains("d07 beaglebone   app-1.0  CONTINUED")
        .contains("record is pending, attempt 2")
        .contains("d11 beaglebone   app-1.0  OFFERED")
        .contains("FILTER_MISMATCH (terms[0] inventory/region $eq eu failed: device has us)")
        .endsWith(
            String.format(
                "dep-lab (STATIC_GROUP): finished, statistics {success=6}%n"
                    + "dep-eu (DYNAMIC): inprogress, statistics {success=11}%n"));
  }

  @Test
  @DisplayName("the quickstart is deterministic: two runs print the same")
  void run_isDeterministic() {
    assertThat(runQuickstart()).isEqualTo(runQuickstart());
  }
}
