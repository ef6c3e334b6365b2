package dev.updraft.core;

import com.google.common.base.Splitter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value built without a field it requires (a builder's {@code build()} before every required
 * setter was called). Names the fields. (A builder given {@code null} for a field throws a {@link
 * NullPointerException} naming it, and one given a field twice an {@link IllegalStateException}:
 * those are bugs in the calling code, not input to answer.)
 */
public final class MissingFieldException extends UpdraftException {
  private static final long serialVersionUID = 1L;

  private static final Pattern GENERATED = Pattern.compile("Cannot build (\\w+),.*\\[([^\\]]*)\\]");

  /** The fields that were not set. */
  private final List<String> fields;

  /**
   * Thrown by a builder's {@code build()} with its message, which names the type and, in brackets,
   * the fields not set: {@code Cannot build Artifact, some of required attributes are not set
   * [size]}.
   *
   * @param message what happened
   */
  public MissingFieldException(String message) {
    this(parse(message));
  }

  private MissingFieldException(Parsed parsed) {
    super(parsed.type + " " + String.join(", ", parsed.fields) + " is required and was not set");
    this.fields = parsed.fields;
  }

  private record Parsed(String type, List<String> fields) {}

  private static Parsed parse(String message) {
    Matcher matcher = GENERATED.matcher(message);
    if (!matcher.find()) {
      return new Parsed("value", List.of(message));
    }
    return new Parsed(
        matcher.group(1),
        Splitter.on(',').trimResults().omitEmptyStrings().splitToList(matcher.group(2)));
  }

  /** {@return the fields that were missing, by the name of their setter, e.g} {@code [size]}. */
  public List<String> fields() {
    return fields;
  }
}
