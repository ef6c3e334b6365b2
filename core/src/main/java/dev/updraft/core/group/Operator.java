package dev.updraft.core.group;

import dev.updraft.core.internal.WireNames;

/** The ten filter operators of Mender's inventory search [M]. */
public enum Operator {
  EQ("$eq"),
  NE("$ne"),
  GT("$gt"),
  GTE("$gte"),
  LT("$lt"),
  LTE("$lte"),
  IN("$in"),
  NIN("$nin"),
  EXISTS("$exists"),
  REGEX("$regex");

  private static final WireNames<Operator> WIRE_NAMES = WireNames.of(values(), Operator::wireName);

  private final String wireName;

  Operator(String wireName) {
    this.wireName = wireName;
  }

  /** The name in Mender's JSON, e.g. {@code $eq}. */
  public String wireName() {
    return wireName;
  }

  /** The operator with this wire name; anything else is invalid input naming {@code field}. */
  public static Operator fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
