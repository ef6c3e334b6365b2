package dev.updraft.core.engine;

import dev.updraft.core.deployment.DeploymentStatus;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/** Which deployments a listing returns; every criterion is optional. */
@Value.Immutable
public abstract class DeploymentQuery {
  DeploymentQuery() {}

  private static final DeploymentQuery ALL = builder().build();

  public abstract Optional<DeploymentStatus> status();

  /** A substring the name must contain. */
  public abstract Optional<String> name();

  /** Created at or after. */
  public abstract Optional<Instant> createdFrom();

  /** Created before. */
  public abstract Optional<Instant> createdBefore();

  public static DeploymentQuery all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DeploymentQuery}; see {@link #builder()}. */
  public static final class Builder extends ImmutableDeploymentQuery.Builder {
    Builder() {}
  }
}
