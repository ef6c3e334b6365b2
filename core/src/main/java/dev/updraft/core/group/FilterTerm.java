package dev.updraft.core.group;

import com.google.common.collect.ImmutableList;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.AttributeKey;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.Scope;
import dev.updraft.core.internal.Checks;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * One predicate of a filter [M]: an attribute (scope and name), an operator and a value, in the
 * shape of Mender's JSON {@code {scope, attribute, type, value}}.
 *
 * <p>The value is a {@link String} or {@link Double} for the comparisons, a {@link Boolean} for
 * {@code $exists}, a non-empty list of strings and doubles for {@code $in}/{@code $nin}, and a
 * regular expression string for {@code $regex}. Matching follows Mender's (MongoDB's) semantics: on
 * a list attribute a term matches if any element does; a number never equals or orders against a
 * string (false, not an error); {@code $ne} and {@code $nin} are the negations of {@code $eq} and
 * {@code $in}, so they match a device that lacks the attribute. {@code $regex} is anchored at the
 * start and runs in linear time (RE2/J) [U].
 */
@Value.Immutable
public abstract class FilterTerm {
  FilterTerm() {}

  /** The longest string value or pattern accepted. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /** The most values an {@code $in} or {@code $nin} list may hold. */
  public static final int MAX_LIST_SIZE = 1024;

  /** {@return the attribute the term tests: its scope and name} */
  @Value.Parameter
  public abstract AttributeKey attribute();

  /** {@return how the term compares the attribute with its value} */
  @Value.Parameter
  public abstract Operator operator();

  /** {@return the value in its JSON shape; numbers are held as {@link Double}} */
  @Value.Parameter
  public abstract Object value();

  /**
   * {@return a term; the value is checked against the operator, and numbers of any {@link Number}
   * type are stored as doubles} Invalid terms are refused naming {@code value}.
   *
   * @param scope who sets the attribute
   * @param attribute the attribute the term tests: its scope and name
   * @param operator how the term compares the attribute with its value
   * @param value the value in its JSON shape; numbers are held as {@link Double}
   */
  public static FilterTerm of(Scope scope, String attribute, Operator operator, Object value) {
    return new ImmutableFilterTerm(AttributeKey.of(scope, attribute), operator, normalize(value));
  }

  /**
   * Reads one term from its decoded JSON object ({@code scope}, {@code attribute}, {@code type},
   * {@code value}); an error names the field at fault.
   *
   * @param json the value as Mender's API gives it
   * @return the term
   * @throws dev.updraft.core.InvalidInputException when the JSON is not a valid term
   */
  public static FilterTerm fromJson(Object json) {
    if (!(json instanceof Map<?, ?> map)) {
      throw new InvalidInputException("term", json, "must be an object");
    }
    Scope scope = Scope.fromWireName("scope", string("scope", map.get("scope")));
    String attribute = string("attribute", map.get("attribute"));
    Operator operator = Operator.fromWireName("type", string("type", map.get("type")));
    Object value = map.get("value");
    if (value == null) {
      throw new InvalidInputException("value", null, "is required");
    }
    return of(scope, attribute, operator, value);
  }

  /** {@return the term as decoded JSON, the inverse of {@link #fromJson}} */
  public Map<String, Object> toJson() {
    return Map.of(
        "scope", attribute().scope().wireName(),
        "attribute", attribute().name(),
        "type", operator().wireName(),
        "value", value());
  }

  /**
   * {@return whether {@code device} satisfies this term}
   *
   * @param device the device, with its attributes
   */
  public boolean matches(Device device) {
    return matcher().matches(device.attribute(attribute()));
  }

  /** Compiled on first use, after {@link #check()} has accepted the value. */
  @Value.Lazy
  TermMatcher matcher() {
    return TermMatcher.compile(operator(), value());
  }

  @Value.Check
  void check() {
    String field = "value";
    Object value = value();
    switch (operator()) {
      case EQ, NE, GT, GTE, LT, LTE -> scalar(field, value);
      case IN, NIN -> {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_LIST_SIZE) {
          throw new InvalidInputException(
              field,
              value,
              operator().wireName() + " takes a list of 1 to " + MAX_LIST_SIZE + " values");
        }
        list.forEach(element -> scalar(field, element));
      }
      case EXISTS -> {
        if (!(value instanceof Boolean)) {
          throw new InvalidInputException(field, value, "$exists takes true or false");
        }
      }
      case REGEX -> {
        if (!(value instanceof String pattern)) {
          throw new InvalidInputException(field, value, "$regex takes a pattern string");
        }
        try {
          Pattern.compile(Checks.length(field, pattern, MAX_VALUE_LENGTH));
        } catch (PatternSyntaxException e) {
          throw new InvalidInputException(
              field, value, "is not a valid pattern: " + e.getDescription());
        }
      }
    }
  }

  @Override
  public String toString() {
    return attribute() + " " + operator().wireName() + " " + value();
  }

  private static void scalar(String field, Object value) {
    if (value instanceof String text) {
      Checks.length(field, text, MAX_VALUE_LENGTH);
    } else if (!(value instanceof Double number) || !Double.isFinite(number)) {
      throw new InvalidInputException(field, value, "must be a string or a finite number");
    }
  }

  private static Object normalize(Object value) {
    if (value instanceof Number number && !(value instanceof Double)) {
      return number.doubleValue();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(FilterTerm::normalize).collect(ImmutableList.toImmutableList());
    }
    return value;
  }

  private static String string(String field, Object value) {
    if (!(value instanceof String text)) {
      throw new InvalidInputException(field, value, "must be a string");
    }
    return text;
  }
}
