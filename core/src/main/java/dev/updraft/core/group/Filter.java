package dev.updraft.core.group;

import com.google.common.collect.ImmutableList;
import dev.updraft.core.InvalidInputException;
import dev.updraft.core.device.Device;
import dev.updraft.core.internal.Checks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A device filter [M]: terms ANDed. Invalid terms are refused when the filter is built, naming the
 * term ({@code terms[2].value}); each term is compiled once, so evaluating a filter against a
 * device allocates nothing but what the device's attributes need.
 */
@Value.Immutable
public abstract class Filter {
  Filter() {}

  /** The most terms a filter may have [U]. */
  public static final int MAX_TERMS = 64;

  /** {@return the terms, all of which a device must match} */
  @Value.Parameter
  public abstract List<FilterTerm> terms();

  /**
   * A filter of {@code terms}.
   *
   * @param terms the terms, all of which a device must match
   * @return the filter
   * @throws dev.updraft.core.InvalidInputException when there are no terms or too many
   */
  public static Filter of(List<FilterTerm> terms) {
    return new ImmutableFilter(terms);
  }

  /**
   * A filter of {@code terms}.
   *
   * @param terms the terms, all of which a device must match
   * @return the filter
   * @throws dev.updraft.core.InvalidInputException when there are no terms or too many
   */
  public static Filter of(FilterTerm... terms) {
    return of(List.of(terms));
  }

  /**
   * Reads the decoded JSON array of Mender's terms ({@code [{scope, attribute, type, value}, …]}).
   * Errors name the term, e.g. {@code terms[1].type}.
   *
   * @param json the value as Mender's API gives it
   * @return the filter
   * @throws dev.updraft.core.InvalidInputException when the JSON is not a valid list of terms
   */
  public static Filter fromJson(Object json) {
    if (!(json instanceof List<?> list)) {
      throw new InvalidInputException("terms", json, "must be a list of terms");
    }
    ImmutableList.Builder<FilterTerm> terms = ImmutableList.builder();
    for (int index = 0; index < list.size(); index++) {
      try {
        terms.add(FilterTerm.fromJson(list.get(index)));
      } catch (InvalidInputException e) {
        throw e.under("terms[" + index + "]");
      }
    }
    return of(terms.build());
  }

  /** {@return the terms as decoded JSON, the inverse of {@link #fromJson}} */
  public List<Map<String, Object>> toJson() {
    return terms().stream().map(FilterTerm::toJson).collect(ImmutableList.toImmutableList());
  }

  /**
   * {@return whether {@code device} matches every term}
   *
   * @param device the device, with its attributes
   */
  public boolean matches(Device device) {
    List<FilterTerm> terms = terms();
    for (int i = 0; i < terms.size(); i++) { // no iterator: a poll evaluates many filters
      if (!terms.get(i).matches(device)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return the first term {@code device} fails, with the device's value; empty when it matches}
   *
   * @param device the device, with its attributes
   */
  public Optional<Mismatch> mismatch(Device device) {
    for (int index = 0; index < terms().size(); index++) {
      FilterTerm term = terms().get(index);
      if (!term.matches(device)) {
        return Optional.of(Mismatch.of(index, term, device.attribute(term.attribute())));
      }
    }
    return Optional.empty();
  }

  @Value.Check
  void check() {
    Checks.size("terms", terms(), 1, MAX_TERMS);
  }

  @Override
  public String toString() {
    return terms().toString();
  }
}
