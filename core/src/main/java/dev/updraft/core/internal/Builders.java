package dev.updraft.core.internal;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.core.deployment.DeviceDeployment;
import org.jspecify.annotations.Nullable;

/**
 * The builders of the values whose counters and statuses only decisions and stored records may set:
 * the rollout package builds device deployments with them, the engine rebuilds both from its
 * records. Their own {@code builder()} methods are package-private, so that a host cannot make a
 * deployment with made-up statistics; the deployment package hands them here when it loads.
 */
public final class Builders {
  /** What the deployment package registers. */
  public interface Source {
    /** {@return a new deployment builder} */
    Deployment.Builder deployment();

    /** {@return a new device deployment builder} */
    DeviceDeployment.Builder deviceDeployment();
  }

  private static volatile @Nullable Source source;

  private Builders() {}

  /**
   * Called once, by the deployment package as it loads.
   *
   * @throws IllegalStateException when a source is registered already
   */
  public static synchronized void register(Source registered) {
    if (source != null) {
      throw new IllegalStateException("the builders are registered already");
    }
    source = registered;
  }

  /** {@return a builder of a deployment with every field, its counters included} */
  public static Deployment.Builder deployment() {
    return source().deployment();
  }

  /** {@return a builder of a device deployment with every field, its status included} */
  public static DeviceDeployment.Builder deviceDeployment() {
    return source().deviceDeployment();
  }

  private static Source source() {
    Source registered = source;
    if (registered == null) {
      try { // loading the deployment type registers its package's source
        Class.forName(Deployment.class.getName(), true, Builders.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      registered = source;
    }
    if (registered == null) {
      throw new IllegalStateException("the deployment package registered no builders");
    }
    return registered;
  }
}
