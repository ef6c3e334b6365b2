package dev.updraft.mender;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A device in Java: a key pair and signed auth requests, as the Mender client makes them. */
final class SimulatedDevice {
  /** The key kinds the client supports. */
  enum KeyKind {
    RSA,
    EC,
    ED25519
  }

  private final KeyPair keys;
  private final KeyKind kind;
  final String mac;

  SimulatedDevice(KeyKind kind, String mac) {
    this.kind = kind;
    this.mac = mac;
    try {
      KeyPairGenerator generator =
          switch (kind) {
            case RSA -> {
              KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
              g.initialize(2048);
              yield g;
            }
            case EC -> {
              KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
              g.initialize(new ECGenParameterSpec("secp256r1"));
              yield g;
            }
            case ED25519 -> KeyPairGenerator.getInstance("Ed25519");
          };
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String publicKeyPem() {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  /** The private key as the client reads it from {@code mender-agent.pem} (PKCS#8 PEM). */
  String privateKeyPem() {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  byte[] authRequestBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id_data", "{\"mac\":\"" + mac + "\"}");
    body.put("pubkey", publicKeyPem());
    body.put("tenant_token", "");
    return Json.write(body);
  }

  String sign(byte[] body) {
    try {
      Signature signer =
          Signature.getInstance(
              switch (kind) {
                case RSA -> "SHA256withRSA";
                case EC -> "SHA256withECDSA";
                case ED25519 -> "Ed25519";
              });
      signer.initSign(keys.getPrivate());
      signer.update(body);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a signed auth request; the reply is 200 with the token or 401. */
  Http.Reply authenticate(Http http) {
    byte[] body = authRequestBody();
    return http.send(
        http.request("/api/devices/v1/authentication/auth_requests")
            .header("Content-Type", "application/json")
            .header("X-MEN-Signature", sign(body))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)));
  }
}
