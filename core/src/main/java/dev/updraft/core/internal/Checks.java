package dev.updraft.core.internal;

import com.google.common.base.CharMatcher;
import dev.updraft.core.InvalidInputException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation shared by the value types' {@code @Value.Check} methods. Each check names the field
 * and the offending value in the {@link InvalidInputException} it throws.
 */
public final class Checks {
  private Checks() {}

  /**
   * Non-blank and at most {@code max} characters.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param value the value
   * @param max the largest ceiling
   */
  public static String text(String field, String value, int max) {
    if (CharMatcher.whitespace().matchesAllOf(value)) {
      throw new InvalidInputException(field, value, "must not be blank");
    }
    return length(field, value, max);
  }

  /**
   * At most {@code max} characters (blank allowed).
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param value the value
   * @param max the largest ceiling
   */
  public static String length(String field, String value, int max) {
    if (value.length() > max) {
      throw new InvalidInputException(field, value, "must be at most " + max + " characters");
    }
    return value;
  }

  /**
   * Non-blank, at most {@code max} characters, and matching {@code pattern} whole.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param value the value
   * @param max the largest ceiling
   */
  public static String pattern(String field, String value, int max, Pattern pattern) {
    text(field, value, max);
    if (!pattern.matcher(value).matches()) {
      throw new InvalidInputException(field, value, "must match " + pattern.pattern());
    }
    return value;
  }

  /**
   * Between {@code min} and {@code max} elements.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param values the values
   * @param max the largest ceiling
   */
  public static void size(String field, Collection<?> values, int min, int max) {
    if (values.size() < min || values.size() > max) {
      throw new InvalidInputException(
          field, values.size() + " elements", "must have " + min + " to " + max + " elements");
    }
  }

  /**
   * At most {@code max} entries, each key non-blank and at most {@code maxLength} characters.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param max the largest ceiling
   */
  public static void keys(String field, Map<String, ?> map, int max, int maxLength) {
    if (map.size() > max) {
      throw new InvalidInputException(
          field, map.size() + " entries", "must have at most " + max + " entries");
    }
    map.keySet().forEach(key -> text(field + " key", key, maxLength));
  }

  /**
   * {@code value} within {@code [min, max]}.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param value the value
   * @param max the largest ceiling
   */
  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidInputException(field, value, "must be between " + min + " and " + max);
    }
    return value;
  }
}
