package dev.updraft.mender;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The dashboard's form for a new deployment, as the management API's creation body. */
final class CreationForm {
  private CreationForm() {}

  /** The management API's creation body for the dashboard's form. */
  static Map<String, Object> body(Map<String, String> form) {
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
}
