package dev.updraft.core.engine;

import dev.updraft.core.deployment.DeploymentStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/** Which deployments a listing returns; every criterion is optional. */
@Value.Immutable
public abstract class DeploymentQuery {
  DeploymentQuery() {}

  private static final DeploymentQuery ALL = builder().build();

  /** {@return the status the deployments must have now, if any} */
  public abstract Optional<DeploymentStatus> status();

  /** {@return a substring the name must contain} */
  public abstract Optional<String> name();

  /** {@return the ids of which the deployment's must be one; empty for any id} */
  public abstract Set<String> ids();

  /** {@return the names of which the deployment's must be one, exactly; empty for any name} */
  public abstract Set<String> names();

  /** {@return the earliest creation time, inclusive, if any} */
  public abstract Optional<Instant> createdFrom();

  /** {@return the creation time the deployments must precede, if any} */
  public abstract Optional<Instant> createdBefore();

  /** {@return a query every deployment matches} */
  public static DeploymentQuery all() {
    return ALL;
  }

  /** {@return a builder of a query; every criterion is optional} */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DeploymentQuery}; see {@link #builder()}. */
  public static final class Builder extends ImmutableDeploymentQuery.Builder {
    Builder() {}
  }
}
