package dev.updraft.mender.ui;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard's templates show: plain values that the server makes from the engine's, so
 * that a template holds no logic beyond loops and conditions.
 */
public final class Views {
  private Views() {}

  /**
   * What every page carries: its title and the session's CSRF token (empty when signed out).
   *
   * @param title the page's title
   * @param csrf the CSRF token its forms and htmx requests send
   */
  public record Page(String title, String csrf) {}

  /**
   * A part of a progress bar: the devices in one status.
   *
   * @param status the status's wire name
   * @param count how many devices
   * @param offset where the part starts, in percent of the bar
   * @param percent how much of the bar it takes
   */
  public record Segment(String status, long count, double offset, double percent) {}

  /**
   * A deployment's devices by status, as a bar.
   *
   * @param total all devices counted
   * @param segments the statuses with devices, in the order of the statuses
   */
  public record Progress(long total, List<Segment> segments) {}

  /**
   * A row of the deployments list.
   *
   * @param id the deployment's id
   * @param name its name
   * @param release the release it deploys
   * @param status its status: pending, inprogress, paused or finished
   * @param progress its devices by status
   */
  public record DeploymentRow(
      String id, String name, String release, String status, Progress progress) {}

  /**
   * A phase of a deployment.
   *
   * @param number its number, from 1
   * @param devices the devices that joined it
   * @param state open, full, or what it waits for
   */
  public record PhaseView(int number, long devices, String state) {}

  /**
   * A deployment's guard.
   *
   * @param rule what trips it
   * @param state armed, or the trip with its counts
   * @param tripped whether it tripped
   */
  public record GuardView(String rule, String state, boolean tripped) {}

  /**
   * A deployment's page.
   *
   * @param row its name, release, status and progress
   * @param paused whether it is paused
   * @param active whether it can still be paused, resumed or aborted
   * @param phases its phases
   * @param guard its guard, if it has one
   */
  public record DeploymentView(
      DeploymentRow row,
      boolean paused,
      boolean active,
      List<PhaseView> phases,
      Optional<GuardView> guard) {}
}
