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

  public InvalidInputException(String field, @Nullable Object value, String reason) {
    super(field + " " + reason + " (was " + describe(value) + ")");
    this.field = field;
    this.value = describe(value);
  }

  /** The path of the field at fault, e.g. {@code name} or {@code phases[1].batch_size}. */
  public String field() {
    return field;
  }

  /** The offending value as text, shortened when it is very long. */
  public String value() {
    return value;
  }

  private static String describe(@Nullable Object value) {
    if (value == null) {
      return "absent";
    }
    String text = value instanceof CharSequence ? "\"" + value + "\"" : Objects.toString(value);
    return text.length() <= 80 ? text : text.substring(0, 77) + "...(" + text.length() + " chars)";
  }
}
