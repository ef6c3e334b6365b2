package dev.updraft.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One event of the feed (see {@link UpdraftStore#events}): what a commit changed, appended by it
 * ({@link ChangeSet#append}) and stored with it, all or nothing.
 *
 * @param position its place in the feed, from 1, assigned by the store (0 until then)
 * @param id its unique id, which the engine assigns (a consumer's idempotency key)
 * @param kind what happened, the engine's name for it (e.g. {@code DEPLOYMENT_PAUSED})
 * @param deploymentId the deployment it happened in
 * @param deviceId the device, for an event about one device's part in the deployment
 * @param from the status before, for a device deployment that changed status
 * @param to the status after, for a device deployment that was made or changed
 * @param at when, by the engine's clock
 * @param detail more about what happened, for people; empty for nothing more
 */
public record EventRecord(
    long position,
    String id,
    String kind,
    String deploymentId,
    Optional<String> deviceId,
    Optional<String> from,
    Optional<String> to,
    Instant at,
    String detail) {

  /**
   * {@return this event at {@code position}, as the store assigns it}
   *
   * @param position its place in the feed, from 1
   */
  public EventRecord atPosition(long position) {
    return new EventRecord(position, id, kind, deploymentId, deviceId, from, to, at, detail);
  }
}
