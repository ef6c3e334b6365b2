package dev.updraft.core.group;

import com.google.re2j.Pattern;
import dev.updraft.core.device.AttributeValue;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/** A term compiled once: the operator bound to its value, a regex compiled to RE2/J. */
abstract class TermMatcher {
  abstract boolean matches(Optional<AttributeValue> attribute);

  static TermMatcher compile(Operator operator, Object value) {
    return switch (operator) {
      case EQ -> ordered(value, order -> order == 0);
      case NE -> new Not(ordered(value, order -> order == 0));
      case GT -> ordered(value, order -> order > 0);
      case GTE -> ordered(value, order -> order >= 0);
      case LT -> ordered(value, order -> order < 0);
      case LTE -> ordered(value, order -> order <= 0);
      case IN -> in((List<?>) value);
      case NIN -> new Not(in((List<?>) value));
      case EXISTS -> new Exists((Boolean) value);
      case REGEX -> regex(Pattern.compile((String) value));
    };
  }

  /**
   * Any element of the same kind as {@code value} (string or number) whose order against it passes;
   * an element of the other kind never matches.
   *
   * @param value the value
   */
  private static TermMatcher ordered(Object value, IntPredicate accept) {
    return new Any(element -> sameKind(element, value) && accept.test(order(element, value)));
  }

  private static TermMatcher in(List<?> values) {
    Object[] candidates = values.toArray();
    return new Any(
        element -> {
          for (Object value : candidates) {
            if (sameKind(element, value) && order(element, value) == 0) {
              return true;
            }
          }
          return false;
        });
  }

  private static TermMatcher regex(Pattern pattern) {
    return new Any(element -> element instanceof String text && pattern.matcher(text).lookingAt());
  }

  private static boolean sameKind(Object element, Object value) {
    return element.getClass() == value.getClass();
  }

  /**
   * Strings by code unit, numbers numerically ({@code 0.0 == -0.0}); only for the same kind.
   *
   * @param value the value
   */
  private static int order(Object element, Object value) {
    if (element instanceof String text) {
      return Integer.signum(text.compareTo((String) value));
    }
    double left = (Double) element;
    double right = (Double) value;
    return left == right ? 0 : left < right ? -1 : 1;
  }

  /** True when the attribute exists and any of its elements passes. */
  private static final class Any extends TermMatcher {
    private final Predicate<Object> test;

    Any(Predicate<Object> test) {
      this.test = test;
    }

    @Override
    boolean matches(Optional<AttributeValue> attribute) {
      if (attribute.isEmpty()) {
        return false;
      }
      AttributeValue value = attribute.get();
      return any(value.texts()) || any(value.numbers());
    }

    private boolean any(List<?> elements) {
      for (int i = 0; i < elements.size(); i++) { // no iterator: a poll evaluates many terms
        if (test.test(elements.get(i))) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Not extends TermMatcher {
    private final TermMatcher inner;

    Not(TermMatcher inner) {
      this.inner = inner;
    }

    @Override
    boolean matches(Optional<AttributeValue> attribute) {
      return !inner.matches(attribute);
    }
  }

  private static final class Exists extends TermMatcher {
    private final boolean expected;

    Exists(boolean expected) {
      this.expected = expected;
    }

    @Override
    boolean matches(Optional<AttributeValue> attribute) {
      return attribute.isPresent() == expected;
    }
  }
}
