package dev.updraft.spi;

import java.util.List;
import java.util.Map;

/** A saved filter (Mender's dynamic group): its terms in Mender's JSON shape. */
public record FilterRecord(String id, long version, String name, List<Map<String, Object>> terms)
    implements StoredRecord {
  public FilterRecord {
    terms = terms.stream().map(Values::copyMap).toList();
  }

  @Override
  public String key() {
    return id;
  }
}
