package dev.updraft.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * A declared index over one record type: each record appears in zero or more <em>partitions</em>
 * (e.g. the id of its device), ordered within a partition by its <em>sort key</em> and then by its
 * record key. Both are computed from the record by the functions declared here, so an adapter can
 * maintain any index generically (an index table of {@code (index, partition, sort key, record
 * key)} rows, a sorted set per partition, …) and must update it in the same commit as the record.
 *
 * <p>The set of indexes is closed: {@link #ALL} lists them.
 */
public final class Index<R extends StoredRecord> {
  /** The partition of indexes over every record of their type. */
  public static final String ALL_PARTITION = "all";

  /**
   * A device's device deployments, oldest deployment first. Partition: device id. Its sort keys are
   * shared: every device deployment of one deployment has the deployment's creation order.
   */
  public static final Index<DeviceDeploymentRecord> DEVICE_DEPLOYMENTS_BY_DEVICE =
      new Index<>(
          "device_deployments_by_device",
          RecordType.DEVICE_DEPLOYMENT,
          r -> List.of(r.deviceId()),
          r -> creationOrder(r.created(), r.sequence()),
          true);

  /**
   * A deployment's device deployments in one status, by device id. Partition: {@code
   * deploymentId/status}.
   */
  public static final Index<DeviceDeploymentRecord> DEVICE_DEPLOYMENTS_BY_STATUS =
      new Index<>(
          "device_deployments_by_status",
          RecordType.DEVICE_DEPLOYMENT,
          r -> List.of(r.deploymentId() + "/" + r.status()),
          DeviceDeploymentRecord::deviceId);

  /** The snapshot deployments targeting a device, by deployment id. Partition: device id. */
  public static final Index<TargetRecord> TARGETS_BY_DEVICE =
      new Index<>(
          "targets_by_device",
          RecordType.TARGET,
          r -> List.of(r.deviceId()),
          TargetRecord::deploymentId);

  /** Every deployment, oldest first. Partition: {@link #ALL_PARTITION}. */
  public static final Index<DeploymentRecord> DEPLOYMENTS_BY_CREATION =
      new Index<>(
          "deployments_by_creation",
          RecordType.DEPLOYMENT,
          r -> List.of(ALL_PARTITION),
          r -> creationOrder(r.created(), r.sequence()));

  /**
   * A deployment's stripes of counters, by stripe number. Partition: deployment id. A deployment
   * has few (see {@link DeploymentRecord#stripes()}, at most 9,999): one page reads them all.
   */
  public static final Index<DeploymentCountsRecord> COUNTS_BY_DEPLOYMENT =
      new Index<>(
          "counts_by_deployment",
          RecordType.DEPLOYMENT_COUNTS,
          r -> List.of(r.deploymentId()),
          r -> Integer.toString(10_000 + r.stripe()));

  /** Active dynamic deployments, oldest first. Partition: {@link #ALL_PARTITION}. */
  public static final Index<DeploymentRecord> ACTIVE_DYNAMIC_DEPLOYMENTS =
      new Index<>(
          "active_dynamic_deployments",
          RecordType.DEPLOYMENT,
          r -> r.active() && r.targetKind().equals("DYNAMIC") ? List.of(ALL_PARTITION) : List.of(),
          r -> creationOrder(r.created(), r.sequence()));

  /** Active deployments of each release, oldest first. Partition: release name. */
  public static final Index<DeploymentRecord> ACTIVE_DEPLOYMENTS_BY_RELEASE =
      new Index<>(
          "active_deployments_by_release",
          RecordType.DEPLOYMENT,
          r -> r.active() ? List.of(r.releaseName()) : List.of(),
          r -> creationOrder(r.created(), r.sequence()));

  /**
   * Open device deployments that have a deadline (their deployment has a progress timeout), the
   * earliest deadline first. Partition: {@link #ALL_PARTITION}.
   */
  public static final Index<DeviceDeploymentRecord> DEVICE_DEPLOYMENTS_BY_DEADLINE =
      new Index<>(
          "device_deployments_by_deadline",
          RecordType.DEVICE_DEPLOYMENT,
          r -> r.deadline().isPresent() ? List.of(ALL_PARTITION) : List.of(),
          r -> r.deadline().map(d -> creationOrder(d, 0)).orElse(""));

  /** Every device, by id. Partition: {@link #ALL_PARTITION}. */
  public static final Index<DeviceRecord> DEVICES_BY_ID =
      new Index<>(
          "devices_by_id", RecordType.DEVICE, r -> List.of(ALL_PARTITION), DeviceRecord::id);

  /** The members of each static group, by device id. Partition: group name. */
  public static final Index<DeviceRecord> DEVICES_BY_GROUP =
      new Index<>(
          "devices_by_group",
          RecordType.DEVICE,
          r -> r.group().map(List::of).orElse(List.of()),
          DeviceRecord::id);

  /** Every release, by name. Partition: {@link #ALL_PARTITION}. */
  public static final Index<ReleaseRecord> RELEASES_BY_NAME =
      new Index<>(
          "releases_by_name", RecordType.RELEASE, r -> List.of(ALL_PARTITION), ReleaseRecord::name);

  /** The release holding an artifact. Partition: artifact id. */
  public static final Index<ReleaseRecord> RELEASES_BY_ARTIFACT =
      new Index<>(
          "releases_by_artifact",
          RecordType.RELEASE,
          r -> r.artifacts().stream().map(ArtifactRecord::id).toList(),
          ReleaseRecord::name);

  /** Every saved filter, by name. Partition: {@link #ALL_PARTITION}. */
  public static final Index<FilterRecord> FILTERS_BY_NAME =
      new Index<>(
          "filters_by_name", RecordType.FILTER, r -> List.of(ALL_PARTITION), FilterRecord::name);

  /** Every index, in a fixed order. */
  public static final List<Index<?>> ALL =
      List.of(
          DEVICE_DEPLOYMENTS_BY_DEVICE,
          DEVICE_DEPLOYMENTS_BY_STATUS,
          DEVICE_DEPLOYMENTS_BY_DEADLINE,
          TARGETS_BY_DEVICE,
          DEPLOYMENTS_BY_CREATION,
          COUNTS_BY_DEPLOYMENT,
          ACTIVE_DYNAMIC_DEPLOYMENTS,
          ACTIVE_DEPLOYMENTS_BY_RELEASE,
          DEVICES_BY_ID,
          DEVICES_BY_GROUP,
          RELEASES_BY_NAME,
          RELEASES_BY_ARTIFACT,
          FILTERS_BY_NAME);

  private final String name;
  private final RecordType<R> type;
  private final Function<R, Collection<String>> partitions;
  private final Function<R, String> sortKey;
  private final boolean sharesSortKeys;

  private Index(
      String name,
      RecordType<R> type,
      Function<R, ? extends Collection<String>> partitions,
      Function<R, String> sortKey) {
    this(name, type, partitions, sortKey, false);
  }

  private Index(
      String name,
      RecordType<R> type,
      Function<R, ? extends Collection<String>> partitions,
      Function<R, String> sortKey,
      boolean sharesSortKeys) {
    this.name = name;
    this.type = type;
    this.partitions = partitions::apply;
    this.sortKey = sortKey;
    this.sharesSortKeys = sharesSortKeys;
  }

  /** {@return a stable name an adapter may use for a table or a key prefix} */
  public String name() {
    return name;
  }

  /** {@return the type of the records the index holds} */
  public RecordType<R> type() {
    return type;
  }

  /**
   * {@return the partitions {@code record} appears in (often one, possibly none or many)}
   *
   * @param record the record
   */
  public Collection<String> partitionsOf(R record) {
    return partitions.apply(record);
  }

  /**
   * {@return whether many records share each sort key, across partitions (a deployment's creation
   * order, in every device's partition): a store keeping sort keys in memory may keep one copy of
   * each}
   */
  public boolean sharesSortKeys() {
    return sharesSortKeys;
  }

  /**
   * {@return the key that orders {@code record} within each of its partitions (then its record
   * key)}
   *
   * @param record the record
   */
  public String sortKeyOf(R record) {
    return sortKey.apply(record);
  }

  /**
   * {@return a sort key ordering by time then sequence: fixed-width decimal, so that string order
   * is creation order for any instant from 1970 on}
   *
   * @param created when it was created
   * @param sequence a number increasing with creation, breaking ties
   */
  public static String creationOrder(Instant created, long sequence) {
    byte[] key = new byte[19 + 1 + 9 + 1 + 19];
    digits(key, 0, 19, created.getEpochSecond());
    key[19] = '.';
    digits(key, 20, 9, created.getNano());
    key[29] = '.';
    digits(key, 30, 19, sequence);
    return new String(key, StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes {@code value} (not negative, and of at most {@code width} digits) as {@code width}
   * zero-padded digits at {@code from}: its digits, then the zeros before them in one fill (most of
   * a creation order's digits are padding, and it is computed on every poll and commit).
   *
   * @param from the status before
   * @param value the value
   */
  private static void digits(byte[] into, int from, int width, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative in a creation order: " + value);
    }
    int at = from + width;
    for (long rest = value; rest > 0; rest /= 10) {
      into[--at] = (byte) ('0' + rest % 10);
    }
    Arrays.fill(into, from, at, (byte) '0');
  }

  @Override
  public String toString() {
    return name;
  }
}
