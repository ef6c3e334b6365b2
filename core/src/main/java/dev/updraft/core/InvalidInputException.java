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

  /** The path of the field at fault. */
  private final String field;

  /** The offending value, as text. */
  private final String value;

  /** The rule the value breaks. */
  private final String reason;

  /**
   * {@code value} of {@code field} breaks the rule {@code reason} says ({@code must not be blank});
   * a {@code null} value reads as absent.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param value the value
   * @param reason the rule it breaks, e.g. {@code must not be blank}
   */
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
   * {@return the same error for a field nested under {@code path}: {@code value} under {@code
   * terms[2]} becomes {@code terms[2].value}}
   *
   * @param path the path to nest the field under
   */
  public InvalidInputException under(String path) {
    InvalidInputException nested =
        new InvalidInputException(path + "." + field, value, reason, true);
    nested.initCause(this);
    return nested;
  }

  /** {@return the path of the field at fault, e.g} {@code name} or {@code phases[1].batch_size}. */
  public String field() {
    return field;
  }

  /** {@return the offending value as text, shortened when it is very long} */
  public String value() {
    return value;
  }

  /** {@return what the rule is, e.g} {@code must not be blank}. */
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
