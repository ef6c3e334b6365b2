package dev.updraft.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table the benchmark and the load test print: each target, the measured value, pass/fail. */
public final class Table {
  private final String title;
  private final List<String[]> rows = new ArrayList<>();

  public Table(String title) {
    this.title = title;
  }

  /** A row; {@code target} describes the target ({@code (info)} when there is none). */
  public void row(String what, String target, double measured, boolean pass) {
    rows.add(
        new String[] {
          what, target, String.format(Locale.ROOT, "%.2f", measured), pass ? "pass" : "FAIL"
        });
  }

  /** True if every row passed. */
  public boolean passed() {
    return rows.stream().allMatch(row -> row[3].equals("pass"));
  }

  /** Prints the rows, then {@code footer} (units, how the values were measured). */
  public void print(String footer) {
    int what = title.length();
    int target = "target".length();
    for (String[] row : rows) {
      what = Math.max(what, row[0].length());
      target = Math.max(target, row[1].length());
    }
    String format = "%-" + what + "s  %-" + target + "s  %12s  %s%n";
    System.out.printf("%n" + format, title, "target", "measured", "result");
    for (String[] row : rows) {
      System.out.printf(format, (Object[]) row);
    }
    System.out.println(footer);
  }
}
