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
   * @param phases its phases in short: which is open, or what the next waits for
   * @param guard its guard in short: none, armed or tripped
   */
  public record DeploymentRow(
      String id,
      String name,
      String release,
      String status,
      Progress progress,
      String phases,
      String guard) {}

  /**
   * A phase of a deployment.
   *
   * @param number its number, from 1
   * @param start when it opens, or opened
   * @param devices the devices that joined it
   * @param state open, full, or what it waits for
   */
  public record PhaseView(int number, String start, long devices, String state) {}

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

  /**
   * A row of the devices list.
   *
   * @param id the device's id
   * @param status its admission status
   * @param deviceType the device type it reported, empty before it did
   * @param artifact the artifact it runs, empty before it reported
   * @param group its static group, empty for none
   * @param pendingAuthSet the id of its pending auth set, empty for none: accept or reject it
   */
  public record DeviceRow(
      String id,
      String status,
      String deviceType,
      String artifact,
      String group,
      String pendingAuthSet) {}

  /**
   * A term of a device search, as a dynamic group's filter has them.
   *
   * @param scope the attribute's scope
   * @param attribute the attribute, empty for a term not used
   * @param operator the comparison, e.g. {@code $eq}
   * @param value the value compared with
   */
  public record TermView(String scope, String attribute, String operator, String value) {}

  /**
   * The devices page: the search as asked, and what it found.
   *
   * @param terms the search's terms (all must hold), blank ones included for the form
   * @param error why the search was refused, empty when it was not
   * @param rows the devices found (at most a page)
   * @param total how many devices match
   */
  public record DeviceSearch(
      List<TermView> terms, String error, List<DeviceRow> rows, long total) {}

  /**
   * An attribute of a device.
   *
   * @param scope its scope
   * @param name its name
   * @param value its value, as text
   */
  public record AttributeView(String scope, String name, String value) {}

  /**
   * An auth set of a device.
   *
   * @param id its id
   * @param status its status
   * @param created when the device first asked with it
   */
  public record AuthSetView(String id, String status, String created) {}

  /**
   * A device's part in a deployment.
   *
   * @param deploymentId the deployment's id
   * @param deploymentName its name
   * @param status the device's status in it
   * @param attempts attempts made
   * @param log whether the device uploaded a log
   */
  public record HistoryView(
      String deploymentId, String deploymentName, String status, int attempts, boolean log) {}

  /**
   * Why the device gets, or does not get, an active deployment, in a sentence.
   *
   * @param deploymentId the deployment's id
   * @param deploymentName its name
   * @param sentence the reason, said
   * @param offered whether this is the deployment it gets
   */
  public record Explained(
      String deploymentId, String deploymentName, String sentence, boolean offered) {}

  /**
   * A device's page.
   *
   * @param row its id, status and state
   * @param attributes its attributes
   * @param authSets its auth sets
   * @param history its deployments
   * @param explained each active deployment and why it gets it or not; empty before it reported
   *     what it runs
   */
  public record DeviceView(
      DeviceRow row,
      List<AttributeView> attributes,
      List<AuthSetView> authSets,
      List<HistoryView> history,
      List<Explained> explained) {}

  /**
   * A device's part in a deployment, in the deployment's list of devices.
   *
   * @param deviceId the device's id
   * @param status its status
   * @param attempts attempts made
   * @param log whether it uploaded a log
   */
  public record DeviceInDeployment(String deviceId, String status, int attempts, boolean log) {}

  /**
   * A page of a deployment's devices.
   *
   * @param status the status shown, empty for all
   * @param devices the devices on this page
   * @param page the page's number, from 1
   * @param more whether a next page has devices
   */
  public record DevicesPage(
      String status, List<DeviceInDeployment> devices, int page, boolean more) {}

  /**
   * An artifact of a release.
   *
   * @param id its id
   * @param deviceTypes the device types it is for
   * @param depends what a device must provide, as text
   * @param provides what it provides, as text
   * @param payloads its payload types
   * @param size its size in bytes
   */
  public record ArtifactView(
      String id, String deviceTypes, String depends, String provides, String payloads, long size) {}

  /**
   * A release.
   *
   * @param name its name
   * @param tags its tags, as text
   * @param artifacts its artifacts
   */
  public record ReleaseView(String name, String tags, List<ArtifactView> artifacts) {}

  /**
   * The releases page.
   *
   * @param releases the releases, by name
   * @param groups the static groups a deployment may target
   * @param filters the saved filters a deployment may target: id and name
   */
  public record ReleasesPage(
      List<ReleaseView> releases, List<String> groups, List<List<String>> filters) {}

  /**
   * What a deployment would do, before it is created.
   *
   * @param devices how many devices it targets now
   * @param phaseSizes how many devices each phase would take
   * @param unfit device types and how many of their devices no artifact of the release fits
   * @param overlapping deployments that target some of the same devices, and how many
   */
  public record PreviewView(
      long devices, List<Long> phaseSizes, List<String> unfit, List<String> overlapping) {}
}
