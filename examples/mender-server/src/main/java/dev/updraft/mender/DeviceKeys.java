package dev.updraft.mender;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Device public keys as the Mender client sends them (PEM, SubjectPublicKeyInfo) and the signatures
 * it makes over the raw body of an auth request: RSA PKCS#1 v1.5 with SHA-256, ECDSA P-256 with
 * SHA-256 (DER), Ed25519.
 */
final class DeviceKeys {
  /** A key algorithm and the signature scheme the client uses with it. */
  private record Scheme(String keyAlgorithm, String signatureAlgorithm) {}

  private static final List<Scheme> SCHEMES =
      List.of(
          new Scheme("RSA", "SHA256withRSA"),
          new Scheme("EC", "SHA256withECDSA"),
          new Scheme("Ed25519", "Ed25519"));

  private DeviceKeys() {}

  /** The DER bytes of a PEM public key; 400 naming the field when it is not one. */
  static byte[] der(String field, String pem) {
    String body =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    if (!pem.contains("-----BEGIN PUBLIC KEY-----") || body.isEmpty()) {
      throw ApiException.badRequest(field + ": expected a PEM public key (BEGIN PUBLIC KEY)");
    }
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException malformed) {
      throw ApiException.badRequest(field + ": the PEM body is not base64");
    }
  }

  /**
   * 401 unless {@code signature} (base64) is a valid signature of {@code body} by the key; 400 when
   * the key is of no supported kind.
   */
  static void verify(byte[] der, byte[] body, String signature) {
    byte[] signatureBytes;
    try {
      signatureBytes = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException malformed) {
      throw ApiException.unauthorized("X-MEN-Signature is not base64");
    }
    for (Scheme scheme : SCHEMES) {
      PublicKey key;
      try {
        key =
            KeyFactory.getInstance(scheme.keyAlgorithm())
                .generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisKind) {
        continue;
      }
      try {
        Signature verifier = Signature.getInstance(scheme.signatureAlgorithm());
        verifier.initVerify(key);
        verifier.update(body);
        if (verifier.verify(signatureBytes)) {
          return;
        }
      } catch (GeneralSecurityException invalid) {
        // a malformed signature is a wrong one
      }
      throw ApiException.unauthorized("signature verification failed");
    }
    throw ApiException.badRequest("pubkey: not an RSA, EC P-256 or Ed25519 public key");
  }

  /**
   * The id of an auth set: a name-based UUID of the canonical identity and the key's DER bytes. A
   * device's first auth set gives the device its id, which later keys leave as it is (and which is
   * the id this server gave devices before it kept auth sets, so theirs stay).
   */
  static String authSetId(String canonicalIdentity, byte[] der) {
    byte[] identity = canonicalIdentity.getBytes(StandardCharsets.UTF_8);
    byte[] name = new byte[identity.length + 1 + der.length];
    System.arraycopy(identity, 0, name, 0, identity.length);
    name[identity.length] = '\n';
    System.arraycopy(der, 0, name, identity.length + 1, der.length);
    return UUID.nameUUIDFromBytes(name).toString();
  }

  /** The id of an identity: a name-based UUID of its canonical JSON. */
  static String identityId(String canonicalIdentity) {
    return UUID.nameUUIDFromBytes(canonicalIdentity.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A key as PEM, in one layout whatever the client sent: 64 base64 characters a line. */
  static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
