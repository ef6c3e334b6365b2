package dev.updraft.core.engine;

import static dev.updraft.core.TestData.T0;
import static dev.updraft.core.TestData.aDeployment;
import static dev.updraft.core.TestData.aDevice;
import static dev.updraft.core.TestData.aRelease;
import static dev.updraft.core.TestData.anArtifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.core.ConflictException;
import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentOptions;
import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.Guard;
import dev.updraft.core.deployment.GuardAction;
import dev.updraft.core.deployment.Phase;
import dev.updraft.core.deployment.PhaseGate;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.Device;
import dev.updraft.core.device.DeviceState;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.memory.InMemoryStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The identity claim's key: canonical, stable across releases, and read under the old key too. */
class IdentityClaimsTest {
  private static final List<Device> FLEET = List.of(aDevice("d1", "arm6"), aDevice("d2", "arm6"));

  private static Deployment deployment(DeploymentOptions options) {
    return aDeployment("dep", aRelease("r1", "arm6"), FLEET, List.of("d1", "d2"), options, T0, 1);
  }

  private static DeploymentOptions options(
      int retries, long max, boolean force, GuardAction action, int minutes, boolean gated) {
    Phase rest = Phase.rest(T0.plusSeconds(3_600));
    return DeploymentOptions.builder()
        .addPhases(Phase.first(50), gated ? rest.withGate(PhaseGate.of(0.9, 1)) : rest)
        .retries(retries)
        .maxDevices(max)
        .forceInstallation(force)
        .guard(Guard.of(0.25, 4, action))
        .progressTimeout(Duration.ofMinutes(minutes))
        .build();
  }

  private static final DeploymentOptions FULL = options(2, 2, true, GuardAction.PAUSE, 30, true);

  @Test
  @DisplayName("the key is a digest of a canonical text, the same in every release")
  void key_isStable() {
    assertThat(IdentityClaims.canonical(deployment(FULL)))
        .isEqualTo(
            String.join(
                "\n",
                "identity v1",
                "name=rollout of r1",
                "release=r1",
                "target=" + deployment(FULL).target().fingerprint(),
                "phase=50,-,ungated",
                "phase=rest,2026-01-01T01:00:00Z,0.9/1",
                "retries=2",
                "max_devices=2",
                "force_installation=true",
                "guard=0.25/4/PAUSE",
                "progress_timeout=PT30M"));
    assertThat(IdentityClaims.key(deployment(FULL)))
        .startsWith("deployment:v1:")
        .isEqualTo(IdentityClaims.key(deployment(FULL)))
        .isNotEqualTo(IdentityClaims.legacyKey(deployment(FULL)));
  }

  @Test
  @DisplayName("every option takes part: changing any one changes the key")
  void everyOptionCounts() {
    List<DeploymentOptions> variants =
        List.of(
            DeploymentOptions.defaults(),
            FULL,
            options(3, 2, true, GuardAction.PAUSE, 30, true),
            options(2, 1, true, GuardAction.PAUSE, 30, true),
            options(2, 2, false, GuardAction.PAUSE, 30, true),
            options(2, 2, true, GuardAction.ABORT, 30, true),
            options(2, 2, true, GuardAction.PAUSE, 31, true),
            options(2, 2, true, GuardAction.PAUSE, 30, false));
    Set<String> keys = new HashSet<>();
    for (DeploymentOptions options : variants) {
      keys.add(IdentityClaims.key(deployment(options)));
    }
    assertThat(keys).hasSize(variants.size());

    // an option added to DeploymentOptions must join the canonical text: this list says which
    // accessors it encodes
    Set<String> encoded =
        Set.of("phases", "retries", "maxDevices", "forceInstallation", "guard", "progressTimeout");
    Set<String> accessors =
        Arrays.stream(DeploymentOptions.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> m.getParameterCount() == 0)
            .map(Method::getName)
            .collect(Collectors.toSet());
    assertThat(accessors).isEqualTo(encoded);
  }

  @Test
  @DisplayName(
      "a deployment created before v1 keys still blocks an identical one, and frees its claim when it finishes")
  void legacyClaims() {
    InMemoryStore store = new InMemoryStore();
    Updraft updraft = Updraft.builder(store).build();
    updraft.addArtifact(anArtifact("r1-arm6", "r1", "arm6"));
    for (String id : List.of("d1", "d2")) {
      updraft.register(id, Map.of("mac", AttributeValue.text(id)));
      updraft.setAdmission(id, AdmissionStatus.ACCEPTED);
      updraft.updateState(id, DeviceState.of("arm6", "v0"));
    }
    DeploymentRequest request =
        DeploymentRequest.builder()
            .name("rollout")
            .releaseName("r1")
            .addDevices("d1", "d2")
            .build();
    Deployment old = updraft.createDeployment(request).deployment();
    // as a store written before v1 holds it: the claim under the legacy key
    ClaimRecord current = store.get(RecordType.CLAIM, IdentityClaims.key(old)).orElseThrow();
    store.commit(
        ChangeSet.create()
            .delete(RecordType.CLAIM, current)
            .insert(RecordType.CLAIM, new ClaimRecord(IdentityClaims.legacyKey(old), 1, old.id())));

    assertThatThrownBy(() -> updraft.createDeployment(request))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(old.id());

    updraft.abort(old.id());
    assertThat(store.get(RecordType.CLAIM, IdentityClaims.legacyKey(old))).isEmpty();
    Deployment again = updraft.createDeployment(request).deployment();
    assertThat(store.get(RecordType.CLAIM, IdentityClaims.key(again)))
        .hasValueSatisfying(claim -> assertThat(claim.owner()).isEqualTo(again.id()));
  }
}
