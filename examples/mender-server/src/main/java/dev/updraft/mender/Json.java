package dev.updraft.mender;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON in and out. Input is read strictly (duplicate keys and trailing content are malformed) and
 * every typed read names the field it refuses.
 */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("malformed JSON: empty body");
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException malformed) {
      throw ApiException.badRequest(
          "malformed JSON: " + malformed.getMessage().lines().findFirst().orElse(""));
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException("cannot write " + value.getClass(), impossible);
    }
  }

  /** Plain Java values (maps, lists, strings, numbers, booleans) of a JSON tree. */
  static Object plain(JsonNode node) {
    return MAPPER.convertValue(node, Object.class);
  }

  static JsonNode object(JsonNode node, String field) {
    if (!node.isObject()) {
      throw ApiException.badRequest(field + ": expected a JSON object, got " + kind(node));
    }
    return node;
  }

  static Optional<JsonNode> optional(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  /** A required field; {@code path} names it in the error, its last segment is the key. */
  static JsonNode required(JsonNode object, String path) {
    return optional(object, path.substring(path.lastIndexOf('.') + 1))
        .orElseThrow(() -> ApiException.badRequest(path + ": required"));
  }

  /**
   * A required, non-empty string; {@code path} names it in the error, its last segment is the key.
   */
  static String text(JsonNode object, String path) {
    return text(required(object, path), path, true);
  }

  static Optional<String> optionalText(JsonNode object, String field) {
    return optional(object, field).map(v -> text(v, field, false));
  }

  private static String text(JsonNode value, String field, boolean nonEmpty) {
    if (!value.isTextual()) {
      throw ApiException.badRequest(field + ": expected a string, got " + kind(value));
    }
    if (nonEmpty && value.asText().isEmpty()) {
      throw ApiException.badRequest(field + ": must not be empty");
    }
    return value.asText();
  }

  static Optional<Integer> optionalInt(JsonNode object, String field) {
    return optional(object, field)
        .map(
            v -> {
              if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw ApiException.badRequest(field + ": expected an integer, got " + v);
              }
              return v.intValue();
            });
  }

  /** A required number; {@code path} names it in the error (e.g. {@code guard.max_ratio}). */
  static double number(JsonNode object, String path) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    JsonNode value =
        optional(object, field).orElseThrow(() -> ApiException.badRequest(path + ": required"));
    if (!value.isNumber()) {
      throw ApiException.badRequest(path + ": expected a number, got " + kind(value));
    }
    return value.doubleValue();
  }

  static Optional<Boolean> optionalBoolean(JsonNode object, String field) {
    return optional(object, field)
        .map(
            v -> {
              if (!v.isBoolean()) {
                throw ApiException.badRequest(field + ": expected true or false, got " + v);
              }
              return v.booleanValue();
            });
  }

  static List<JsonNode> array(JsonNode value, String field) {
    if (!value.isArray()) {
      throw ApiException.badRequest(field + ": expected an array, got " + kind(value));
    }
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    return items;
  }

  static List<String> texts(JsonNode value, String field) {
    List<String> texts = new ArrayList<>();
    List<JsonNode> items = array(value, field);
    for (int i = 0; i < items.size(); i++) {
      texts.add(text(items.get(i), field + "[" + i + "]", true));
    }
    return texts;
  }

  static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
