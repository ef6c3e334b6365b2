package dev.updraft.mender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Checks an artifact's {@code manifest.sig} against the server's public key, as {@code
 * mender-artifact sign} makes it: the base64 of a signature of the manifest's bytes, RSA PKCS#1
 * v1.5 with SHA-256, or ECDSA P-256 with SHA-256 as r and s side by side (64 bytes) or in DER.
 */
final class ArtifactSignatures {
  private final PublicKey key;

  private ArtifactSignatures(PublicKey key) {
    this.key = key;
  }

  /** The PEM public key ({@code BEGIN PUBLIC KEY}) in {@code file}; RSA or EC P-256. */
  static ArtifactSignatures fromPem(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    byte[] der;
    try {
      der = DeviceKeys.der("artifact key " + file, pem);
    } catch (ApiException notPem) {
      throw new IOException(notPem.getMessage(), notPem);
    }
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return new ArtifactSignatures(
            KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException notThisKind) {
        // the next kind
      }
    }
    throw new IOException("artifact key " + file + ": not an RSA or EC public key");
  }

  /** A 400 unless {@code signature} is a valid signature of {@code manifest} by the key. */
  void verify(byte[] manifest, byte[] signature) {
    byte[] decoded;
    try {
      decoded =
          Base64.getDecoder().decode(new String(signature, StandardCharsets.US_ASCII).strip());
    } catch (IllegalArgumentException malformed) {
      throw ApiException.badRequest("artifact: manifest.sig is not base64");
    }
    String algorithm =
        key.getAlgorithm().equals("RSA")
            ? "SHA256withRSA"
            : decoded.length == 64 ? "SHA256withECDSAinP1363Format" : "SHA256withECDSA";
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(manifest);
      valid = verifier.verify(decoded);
    } catch (GeneralSecurityException malformed) {
      valid = false;
    }
    if (!valid) {
      throw ApiException.badRequest(
          "artifact: invalid signature: manifest.sig is not a signature of the manifest by this"
              + " server's key");
    }
  }
}
