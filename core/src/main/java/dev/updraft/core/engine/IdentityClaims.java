package dev.updraft.core.engine;

import com.google.common.hash.Hashing;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The claim an active deployment holds on its identity [M]: its name, release, target and options.
 * Creating a deployment identical to an active one fails on that claim. The claim's key is a digest
 * of a canonical, versioned encoding of the identity (format {@code v1}: every option by name, in a
 * fixed order, in Java's canonical text of each value), so that no library upgrade or {@code
 * toString()} changes it.
 *
 * <p>Before {@code v1}, keys hashed the options' {@code toString()}. Deployments created then still
 * hold such claims while they are active, so creation also checks the {@link #legacyKey}, and a
 * finishing deployment releases the claim it holds under either.
 */
final class IdentityClaims {
  private IdentityClaims() {}

  /** The key of the claim of {@code deployment}'s identity. */
  static String key(Deployment deployment) {
    return "deployment:v1:" + sha256(canonical(deployment));
  }

  /** The key a deployment created before {@code v1} claimed its identity under. */
  static String legacyKey(Deployment deployment) {
    return "deployment:"
        + sha256(
            String.join(
                "\n",
                deployment.name(),
                deployment.releaseName(),
                deployment.target().fingerprint(),
                deployment.options().toString()));
  }

  /** The identity, encoded canonically: one line per part, every option named. */
  static String canonical(Deployment deployment) {
    DeploymentOptions options = deployment.options();
    StringBuilder identity =
        new StringBuilder("identity v1")
            .append("\nname=")
            .append(deployment.name())
            .append("\nrelease=")
            .append(deployment.releaseName())
            .append("\ntarget=")
            .append(deployment.target().fingerprint());
    for (Phase phase : options.phases()) {
      identity
          .append("\nphase=")
          .append(phase.batchSize().map(String::valueOf).orElse("rest"))
          .append(',')
          .append(phase.start().map(Instant::toString).orElse("-"))
          .append(',')
          .append(
              phase.gate().map(g -> g.minSuccessRatio() + "/" + g.minSample()).orElse("ungated"));
    }
    return identity
        .append("\nretries=")
        .append(options.retries())
        .append("\nmax_devices=")
        .append(options.maxDevices().map(String::valueOf).orElse("-"))
        .append("\nforce_installation=")
        .append(options.forceInstallation())
        .append("\nguard=")
        .append(
            options
                .guard()
                .map(g -> g.maxFailureRatio() + "/" + g.minSample() + "/" + g.action().name())
                .orElse("-"))
        .append("\nprogress_timeout=")
        .append(options.progressTimeout().map(Duration::toString).orElse("-"))
        .toString();
  }

  private static String sha256(String text) {
    return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
  }
}
