package dev.updraft.core.engine;

/**
 * An event as the feed holds it (see {@link Updraft#events}): its position, and the event.
 *
 * @param position its place in the feed, from 1: positions follow the order of the commits and have
 *     no gap
 * @param event what happened; its {@link UpdraftEvent#id() id} is the same wherever it is
 *     delivered, a consumer's idempotency key
 */
public record FeedEvent(long position, UpdraftEvent event) {}
