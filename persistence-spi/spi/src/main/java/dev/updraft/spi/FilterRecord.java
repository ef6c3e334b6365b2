package dev.updraft.spi;

import java.util.List;
import java.util.Map;

/**
 * A saved filter (Mender's dynamic group): its terms in Mender's JSON shape.
 *
 * @param version the record's version, from 1
 * @param id the id
 * @param name the name
 * @param terms the terms
 */
public record FilterRecord(String id, long version, String name, List<Map<String, Object>> terms)
    implements StoredRecord {
  /**
   * The record, its collections copied: it cannot change once made.
   *
   * @param version the record's version, from 1
   * @param id the id
   * @param name the name
   * @param terms the terms
   */
  public FilterRecord {
    terms = terms.stream().map(Values::copyMap).toList();
  }

  @Override
  public String key() {
    return id;
  }
}
