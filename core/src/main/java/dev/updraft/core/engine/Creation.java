package dev.updraft.core.engine;

import dev.updraft.spi.DeploymentRecord;
import java.time.Instant;

/**
 * When a deployment was created, in the order deployments are taken: by creation instant, then by
 * sequence. Held as numbers, so that ordering reads nothing else.
 */
record Creation(String deploymentId, long seconds, int nanos, long sequence)
    implements Comparable<Creation> {
  static Creation of(DeploymentRecord record) {
    Instant created = record.created();
    return new Creation(
        record.id(), created.getEpochSecond(), created.getNano(), record.sequence());
  }

  Instant created() {
    return Instant.ofEpochSecond(seconds, nanos);
  }

  @Override
  public int compareTo(Creation other) {
    int order = Long.compare(seconds, other.seconds);
    if (order == 0) {
      order = Integer.compare(nanos, other.nanos);
    }
    return order != 0 ? order : Long.compare(sequence, other.sequence);
  }
}
