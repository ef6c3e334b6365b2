package dev.updraft.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Input that breaks a rule of the domain: a blank name, a value over its limit, a malformed filter
 * term. Names the field (a path such as {@code terms[2].value}) and the offending value, so a host
 * can answer its own caller with a precise 400.
 */
public final class InvalidInputException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;
  private final String reason;

  public InvalidInputException(String field, @Nullable Object value, String reason) {
    this(field, describe(value), reason, true);
  }

  private InvalidInputException(String field, String value, String reason, boolean described) {
    super(field + " " + reason + " (was " + value + ")");
    this.field = field;
    this.value = value;
    this.reason = reason;
  }

  /**
   * The same error for a field nested under {@code path}: {@code value} under {@code terms[2]}
   * becomes {@code terms[2].value}.
   */
  public InvalidInputException under(String path) {
    InvalidInputException nested =
        new InvalidInputException(path + "." + field, value, reason, true);
    nested.initCause(this);
    return nested;
  }

  /** The path of the field at fault, e.g. {@code name} or {@code phases[1].batch_size}. */
  public String field() {
    return field;
  }

  /** The offending value as text, shortened when it is very long. */
  public String value() {
    return value;
  }

  /** What the rule is, e.g. {@code must not be blank}. */
  public String reason() {
    return reason;
  }

  private static String describe(@Nullable Object value) {
    if (value == null) {
      return "absent";
    }
    String text = value instanceof CharSequence ? "\"" + value + "\"" : Objects.toString(value);
    return text.length() <= 80 ? text : text.substring(0, 77) + "...(" + text.length() + " chars)";
  }
}
