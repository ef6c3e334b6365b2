/**
 * The storage contract of Updraft: what a host application implements so that the engine can keep
 * devices, releases, saved filters, deployments, device deployments and logs in the host's own
 * database.
 *
 * <p>The contract is three narrow primitives, never use cases: {@link UpdraftStore#get get} a
 * record by key, {@link UpdraftStore#scan scan} a declared {@link Index} in a stable order with
 * keyset paging, and {@link UpdraftStore#commit commit} a {@link ChangeSet} atomically with version
 * checks; beside them, the event feed that commits append to ({@link UpdraftStore#events events},
 * {@link UpdraftStore#trimEvents trimEvents}). The engine in {@code updraft-core} builds every use
 * case from them, so an adapter gets all of Updraft's behaviour for free and proves itself with
 * {@code updraft-persistence-tck}.
 *
 * <p>Records are immutable Java records holding only JDK types (strings, numbers, booleans, {@link
 * java.time.Instant}, {@link java.util.Optional}, unmodifiable lists and maps of those), so an
 * adapter never depends on the domain model.
 */
@NullMarked
package dev.updraft.spi;

import org.jspecify.annotations.NullMarked;
