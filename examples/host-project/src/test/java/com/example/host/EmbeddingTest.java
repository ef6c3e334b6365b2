package com.example.host;

import static dev.updraft.test.UpdraftAssertions.assertThat;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeploymentStatus;
import dev.updraft.core.deployment.DeviceDeploymentStatus;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.Updraft;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The example does what its comments say, seen through the BOM's test support. */
class EmbeddingTest {
  @Test
  void theDeploymentFinishesWithOneSuccess() {
    Updraft updraft = Embedding.run();

    List<Deployment> deployments = updraft.deployments(PageRequest.first(10)).items();
    Assertions.assertEquals(1, deployments.size());
    Deployment deployment = deployments.get(0);
    Assertions.assertEquals(DeploymentStatus.FINISHED, updraft.deploymentStatus(deployment.id()));
    assertThat(deployment).hasStatus(DeploymentStatus.FINISHED, Instant.now()).isFinished();
    assertThat(updraft.statistics(deployment.id()))
        .has(DeviceDeploymentStatus.SUCCESS, 1)
        .hasTotal(1);
  }
}
