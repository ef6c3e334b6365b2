package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may do what: device tokens (JWTs signed with HMAC-SHA256, expiring), the static admin token
 * and signed, expiring artifact links. Secrets are compared in constant time.
 */
final class Authority {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
  private static final String JWT_HEADER =
      B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] secret;
  private final byte[] adminToken;
  private final Clock clock;
  private final Duration tokenLifetime;
  private final Duration linkLifetime;
  private final Function<String, Optional<String>> holder;

  Authority(
      byte[] secret,
      String adminToken,
      Clock clock,
      Duration tokenLifetime,
      Duration linkLifetime,
      Function<String, Optional<String>> holder) {
    this.secret = secret.clone();
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.tokenLifetime = tokenLifetime;
    this.linkLifetime = linkLifetime;
    this.holder = holder;
  }

  // ------------------------------------------------------------------ devices

  /**
   * A token for an accepted device: a JWT naming it, with the token's id ({@code jti}), valid for
   * the token lifetime while the device's accepted auth set holds that id.
   */
  String deviceToken(String deviceId, String tokenId) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("jti", tokenId);
    claims.put("sub", deviceId);
    claims.put("iat", now);
    claims.put("exp", now + tokenLifetime.toSeconds());
    claims.put("mender.device", true);
    String unsigned = JWT_HEADER + "." + B64URL.encodeToString(Json.write(claims));
    return unsigned + "." + B64URL.encodeToString(mac(unsigned));
  }

  /**
   * The device a bearer token names; 401 when the token is missing, forged, expired, or no longer
   * held by its device's accepted auth set (a new token, a rejection, a revocation or a
   * decommission ends a token at once).
   */
  String device(Optional<String> bearer) {
    String token = bearer.orElseThrow(() -> ApiException.unauthorized("missing device token"));
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3
        || !parts[0].equals(JWT_HEADER)
        || !constantTimeEquals(mac(parts[0] + "." + parts[1]), decode(parts[2]))) {
      throw ApiException.unauthorized("invalid device token");
    }
    JsonNode claims = Json.parse(decode(parts[1]));
    String deviceId = claims.path("sub").asText("");
    if (claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
      throw ApiException.unauthorized("device token expired");
    }
    String tokenId = claims.path("jti").asText("");
    if (tokenId.isEmpty() || !holder.apply(tokenId).equals(Optional.of(deviceId))) {
      throw ApiException.unauthorized("device token revoked, or its device not accepted");
    }
    return deviceId;
  }

  // ------------------------------------------------------------------ users

  void admin(Optional<String> bearer) {
    byte[] given =
        bearer
            .orElseThrow(() -> ApiException.unauthorized("missing admin token"))
            .getBytes(StandardCharsets.UTF_8);
    if (!constantTimeEquals(adminToken, given)) {
      throw ApiException.unauthorized("invalid admin token");
    }
  }

  // ------------------------------------------------------------------ dashboard sessions

  /** How long a dashboard session lasts once signed in. */
  static final Duration UI_SESSION = Duration.ofHours(12);

  /**
   * A new dashboard session for one who gave the admin token: {@code expires.nonce.signature}, the
   * nonce random, so that no two sessions share a value (nor a CSRF token).
   */
  String uiSession() {
    long expires = clock.instant().plus(UI_SESSION).getEpochSecond();
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String unsigned = expires + "." + B64URL.encodeToString(nonce);
    return unsigned + "." + B64URL.encodeToString(mac("ui " + unsigned));
  }

  /** Whether a dashboard session was made here and has not expired. */
  boolean uiSessionValid(String session) {
    String[] parts = session.split("\\.", -1);
    if (parts.length != 3) {
      return false;
    }
    long expires;
    try {
      expires = Long.parseLong(parts[0]);
    } catch (NumberFormatException malformed) {
      return false;
    }
    return constantTimeEquals(mac("ui " + parts[0] + "." + parts[1]), decode(parts[2]))
        && expires > clock.instant().getEpochSecond();
  }

  /** The CSRF token of a dashboard session: its forms carry it, and each action must. */
  String csrfToken(String session) {
    return B64URL.encodeToString(mac("csrf " + session));
  }

  /** Whether {@code token} is the CSRF token of {@code session}. */
  boolean csrfValid(String session, String token) {
    return constantTimeEquals(mac("csrf " + session), decode(token));
  }

  // ------------------------------------------------------------------ links

  /** A download link: the absolute URI and when it stops working. */
  record Link(String uri, Instant expires) {}

  /**
   * A link to download an artifact without a token from {@code baseUrl} (scheme and host the caller
   * reached), valid for the link lifetime.
   */
  Link downloadLink(String baseUrl, String artifactId) {
    return link(baseUrl, DeviceApi.DOWNLOAD.replace("{artifact_id}", artifactId), "", artifactId);
  }

  /** 403 unless the download link was signed here for this artifact and has not expired. */
  void checkLink(String artifactId, Optional<String> expire, Optional<String> signature) {
    check("download", "", artifactId, expire, signature);
  }

  /**
   * A link to upload an artifact's bytes without a token (a direct upload), valid for the link
   * lifetime. It is signed apart from download links: one never opens the other.
   */
  Link uploadLink(String baseUrl, String uploadId) {
    return link(baseUrl, ArtifactsApi.DIRECT_UPLOAD.replace("{id}", uploadId), "upload ", uploadId);
  }

  /** 403 unless the upload link was signed here for this upload and has not expired. */
  void checkUploadLink(String uploadId, Optional<String> expire, Optional<String> signature) {
    check("upload", "upload ", uploadId, expire, signature);
  }

  private Link link(String baseUrl, String path, String purpose, String id) {
    long expires = clock.instant().plus(linkLifetime).getEpochSecond();
    String signature = B64URL.encodeToString(mac(purpose + id + expires));
    return new Link(
        baseUrl + path + "?expire=" + expires + "&signature=" + signature,
        Instant.ofEpochSecond(expires));
  }

  private void check(
      String kind, String purpose, String id, Optional<String> expire, Optional<String> signature) {
    if (expire.isEmpty() || signature.isEmpty()) {
      throw ApiException.forbidden(kind + " link without expire and signature");
    }
    long expires;
    try {
      expires = Long.parseLong(expire.get());
    } catch (NumberFormatException malformed) {
      throw ApiException.forbidden(kind + " link with malformed expire: " + expire.get());
    }
    if (!constantTimeEquals(mac(purpose + id + expires), decode(signature.get()))) {
      throw ApiException.forbidden(kind + " link with a wrong signature");
    }
    if (expires <= clock.instant().getEpochSecond()) {
      throw ApiException.forbidden(kind + " link expired");
    }
  }

  // ------------------------------------------------------------------ primitives

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException unavailable) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", unavailable);
    }
  }

  private static byte[] decode(String base64url) {
    try {
      return B64URL_DECODER.decode(base64url);
    } catch (IllegalArgumentException malformed) {
      return new byte[0];
    }
  }

  private static boolean constantTimeEquals(byte[] expected, byte[] given) {
    return MessageDigest.isEqual(expected, given);
  }
}
