package dev.updraft.spi;

/**
 * A unique key held by an owner, e.g. a saved filter's name. Inserting a claim that exists fails
 * the commit, which is how the engine keeps such keys unique under concurrency.
 *
 * @param version the record's version, from 1
 * @param owner who holds the claim
 * @param key the record's key
 */
public record ClaimRecord(String key, long version, String owner) implements StoredRecord {}
