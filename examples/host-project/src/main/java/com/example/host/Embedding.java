package com.example.host;

import dev.updraft.core.deployment.DeploymentRequest;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.device.AdmissionStatus;
import dev.updraft.core.device.AttributeValue;
import dev.updraft.core.device.DeviceState;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.rollout.PollDecision;
import dev.updraft.spi.memory.InMemoryStore;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** The README's embedding example, as a host writes it. */
public final class Embedding {
  private Embedding() {}

  /** Runs the example; returns the engine, for a test to look at what it did. */
  public static Updraft run() {
    // example:start
    Updraft updraft = Updraft.builder(new InMemoryStore()) // or your own UpdraftStore adapter
        .clock(Clock.systemUTC())
        .listener(event -> System.out.println(event))
        .build();

    updraft.addArtifact(Artifact.builder().id("a-rpi").name("app-2.0").addDeviceTypes("raspberrypi4")
        .size(42_000_000).checksum("9f2c").location(URI.create("s3://artifacts/a-rpi")).build());
    updraft.register("d1", Map.of("mac", AttributeValue.text("02:00:00:00:00:01")));
    updraft.setAdmission("d1", AdmissionStatus.ACCEPTED);
    String deployment = updraft.createDeployment(DeploymentRequest.builder()
        .name("spring rollout").releaseName("app-2.0").addDevices("d1").build()).deployment().id();

    PollDecision decision = updraft.poll("d1", DeviceState.of("raspberrypi4", "app-1.0"));
    // decision.reason() is OFFERED; decision.instructions() names artifact a-rpi
    updraft.report("d1", deployment, DeviceDeploymentStatus.DOWNLOADING);
    updraft.report("d1", deployment, DeviceDeploymentStatus.SUCCESS);
    // updraft.deploymentStatus(deployment) is FINISHED; its statistics count 1 success
    // example:end
    System.out.println(decision.reason() + " " + deployment);
    return updraft;
  }
}
