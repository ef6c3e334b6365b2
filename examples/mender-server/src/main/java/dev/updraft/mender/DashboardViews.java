package dev.updraft.mender;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.PhaseStatus;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.rollout.Verdict;
import dev.updraft.mender.ui.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the dashboard shows of deployments, made from the engine's: its templates' values. */
final class DashboardViews {
  private final Updraft engine;

  DashboardViews(Updraft engine) {
    this.engine = engine;
  }

  Deployment deploymentOf(String id) {
    return engine
        .deployment(id)
        .orElseThrow(() -> ApiException.notFound("deployment " + id + " not found"));
  }

  /** The deployments, newest first. */
  List<Views.DeploymentRow> rows() {
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

  Views.DeploymentView view(String id) {
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
}
