package dev.updraft.core.device;

import com.google.common.collect.ImmutableList;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.internal.Checks;
import java.util.List;
import org.immutables.value.Value;

/**
 * The value of an inventory attribute [M]: a string, a number, or a list of strings or of numbers.
 * Numbers are doubles, as in Mender's store (JSON numbers, float64). A scalar is held as a list of
 * one element with {@link #isList()} false, so that a filter treats scalars and lists alike.
 */
@Value.Immutable
public abstract class AttributeValue {
  AttributeValue() {}

  /** The longest string element accepted. */
  public static final int MAX_TEXT_LENGTH = 4096;

  /** The most elements a list may hold. */
  public static final int MAX_LIST_SIZE = 1024;

  /** {@return the string elements; empty when this value holds numbers} */
  @Value.Parameter
  public abstract List<String> texts();

  /** {@return the number elements; empty when this value holds strings} */
  @Value.Parameter
  public abstract List<Double> numbers();

  /** {@return whether the value was given as a list (a list of one is still a list)} */
  @Value.Parameter
  public abstract boolean isList();

  // The factories call the constructor, not a builder: every device read decodes its attributes.

  /**
   * A text value.
   *
   * @param value the text
   * @return the value
   */
  public static AttributeValue text(String value) {
    return new ImmutableAttributeValue(ImmutableList.of(value), ImmutableList.of(), false);
  }

  /**
   * A number value.
   *
   * @param value the number
   * @return the value
   */
  public static AttributeValue number(double value) {
    return new ImmutableAttributeValue(ImmutableList.of(), ImmutableList.of(value), false);
  }

  /**
   * A list of texts.
   *
   * @param values the texts
   * @return the value
   */
  public static AttributeValue texts(List<String> values) {
    return new ImmutableAttributeValue(values, ImmutableList.of(), true);
  }

  /**
   * A list of numbers.
   *
   * @param values the numbers
   * @return the value
   */
  public static AttributeValue numbers(List<Double> values) {
    return new ImmutableAttributeValue(ImmutableList.of(), values, true);
  }

  /**
   * Reads a value in the shape a JSON decoder gives it: a {@link String}, a {@link Number}, or a
   * {@link List} of only strings or only numbers. Anything else (booleans, objects, mixed or null
   * elements) is invalid input naming {@code field}.
   *
   * @param field the field's path, e.g. {@code terms[2].value}
   * @param json the value as Mender's API gives it
   * @return the value
   */
  public static AttributeValue fromJson(String field, Object json) {
    if (json instanceof String text) {
      return text(text);
    }
    if (json instanceof Number number) {
      return number(number.doubleValue());
    }
    if (json instanceof List<?> list) {
      if (list.stream().allMatch(String.class::isInstance)) {
        return texts(
            list.stream().map(String.class::cast).collect(ImmutableList.toImmutableList()));
      }
      if (list.stream().allMatch(Number.class::isInstance)) {
        return numbers(
            list.stream()
                .map(element -> ((Number) element).doubleValue())
                .collect(ImmutableList.toImmutableList()));
      }
      throw new InvalidInputException(
          field, json, "must be a list of only strings or only numbers");
    }
    throw new InvalidInputException(field, json, "must be a string, a number or a list of them");
  }

  /**
   * {@return the value as a JSON decoder would give it back: a string, a double, or a list of them}
   */
  public Object toJson() {
    List<?> elements = texts().isEmpty() ? numbers() : texts();
    return isList() ? elements : elements.get(0);
  }

  @Value.Check
  void check() {
    if (!texts().isEmpty() && !numbers().isEmpty()) {
      throw new InvalidInputException("attribute value", this, "must not mix strings and numbers");
    }
    int size = texts().size() + numbers().size();
    if (!isList() && size != 1) {
      throw new InvalidInputException("attribute value", size, "a scalar has exactly one element");
    }
    Checks.range("attribute value size", size, 0, MAX_LIST_SIZE);
    texts().forEach(text -> Checks.length("attribute value", text, MAX_TEXT_LENGTH));
    for (double number : numbers()) {
      if (!Double.isFinite(number)) {
        throw new InvalidInputException("attribute value", number, "must be a finite number");
      }
    }
  }

  @Override
  public String toString() {
    return String.valueOf(toJson());
  }
}
