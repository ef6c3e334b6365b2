package dev.updraft.core.group;

import dev.updraft.core.internal.WireNames;

/** The ten filter operators of Mender's inventory search [M]. */
public enum Operator {
  /** Equal to the value (any element of a list attribute). */
  EQ("$eq"),
  /** Not equal to the value. */
  NE("$ne"),
  /** Greater than the value. */
  GT("$gt"),
  /** Greater than or equal to the value. */
  GTE("$gte"),
  /** Less than the value. */
  LT("$lt"),
  /** Less than or equal to the value. */
  LTE("$lte"),
  /** Equal to one of the values. */
  IN("$in"),
  /** Equal to none of the values. */
  NIN("$nin"),
  /** Present ({@code true}) or absent ({@code false}). */
  EXISTS("$exists"),
  /** Matching the regular expression (RE2 syntax: linear time). */
  REGEX("$regex");

  private static final WireNames<Operator> WIRE_NAMES = WireNames.of(values(), Operator::wireName);

  private final String wireName;

  Operator(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the name in Mender's JSON, e.g} {@code $eq}. */
  public String wireName() {
    return wireName;
  }

  /**
   * {@return the operator with this wire name; anything else is invalid input naming {@code field}}
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param wireName the name in Mender's JSON, e.g
   */
  public static Operator fromWireName(String field, String wireName) {
    return WIRE_NAMES.parse(field, wireName);
  }
}
