package dev.updraft.spi;

import java.util.List;

/**
 * A kind of record the store keeps, with a stable name an adapter may use for a table or a key
 * prefix. The set of types is closed: {@link #ALL} lists them.
 */
public final class RecordType<R extends StoredRecord> {
  /** Devices. */
  public static final RecordType<DeviceRecord> DEVICE =
      new RecordType<>("device", DeviceRecord.class);

  /** Releases, with their artifacts. */
  public static final RecordType<ReleaseRecord> RELEASE =
      new RecordType<>("release", ReleaseRecord.class);

  /** Saved filters. */
  public static final RecordType<FilterRecord> FILTER =
      new RecordType<>("filter", FilterRecord.class);

  /** Deployments: their definitions, marks and base counters. */
  public static final RecordType<DeploymentRecord> DEPLOYMENT =
      new RecordType<>("deployment", DeploymentRecord.class);

  /** Stripes of deployments' counters. */
  public static final RecordType<DeploymentCountsRecord> DEPLOYMENT_COUNTS =
      new RecordType<>("deployment_counts", DeploymentCountsRecord.class);

  /** The devices of snapshot targets. */
  public static final RecordType<TargetRecord> TARGET =
      new RecordType<>("target", TargetRecord.class);

  /** Device deployments: one device's part in one deployment. */
  public static final RecordType<DeviceDeploymentRecord> DEVICE_DEPLOYMENT =
      new RecordType<>("device_deployment", DeviceDeploymentRecord.class);

  /** Deployment logs devices uploaded. */
  public static final RecordType<LogRecord> LOG = new RecordType<>("log", LogRecord.class);

  /** Unique keys held by an owner. */
  public static final RecordType<ClaimRecord> CLAIM = new RecordType<>("claim", ClaimRecord.class);

  /** Named counters. */
  public static final RecordType<CounterRecord> COUNTER =
      new RecordType<>("counter", CounterRecord.class);

  /** Every record type, in a fixed order. */
  public static final List<RecordType<?>> ALL =
      List.of(
          DEVICE,
          RELEASE,
          FILTER,
          DEPLOYMENT,
          DEPLOYMENT_COUNTS,
          TARGET,
          DEVICE_DEPLOYMENT,
          LOG,
          CLAIM,
          COUNTER);

  private final String name;
  private final Class<R> recordClass;

  private RecordType(String name, Class<R> recordClass) {
    this.name = name;
    this.recordClass = recordClass;
  }

  /** {@return a stable name, e.g. {@code device_deployment}} */
  public String name() {
    return name;
  }

  /** {@return the class of the records of this type} */
  public Class<R> recordClass() {
    return recordClass;
  }

  /**
   * {@code record} as this type's record class; a record of another class is a bug.
   *
   * @return the record, as this type's
   * @param record the record
   */
  public R cast(StoredRecord record) {
    return recordClass.cast(record);
  }

  @Override
  public String toString() {
    return name;
  }
}
