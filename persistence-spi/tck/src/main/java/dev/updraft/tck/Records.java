package dev.updraft.tck;

import dev.updraft.spi.CounterRecord;
import dev.updraft.spi.DeviceDeploymentRecord;
import dev.updraft.spi.TargetRecord;
import java.time.Instant;
import java.util.Optional;

/** Small records for the contract tests. */
final class Records {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Records() {}

  static CounterRecord counter(String name, long version, long value) {
    return new CounterRecord(name, version, value);
  }

  /**
   * A device deployment of {@code device} in {@code deployment}, created at {@code T0 + seconds};
   * pending and downloading ones have a deadline, earlier the later they were created.
   *
   * @param version the record's version, from 1
   * @param deployment the deployment
   * @param device the device
   * @param status the status
   */
  static DeviceDeploymentRecord deviceDeployment(
      String deployment, String device, long version, String status, long seconds) {
    return new DeviceDeploymentRecord(
        device,
        deployment,
        version,
        Optional.of("artifact"),
        status,
        "",
        T0.plusSeconds(seconds),
        seconds,
        T0,
        Optional.empty(),
        1,
        false,
        Optional.empty(),
        Optional.of(0),
        // open records get a deadline, so the deadline index is exercised too
        status.equals("pending") || status.equals("downloading")
            ? Optional.of(T0.plusSeconds(1_000 - seconds))
            : Optional.empty());
  }

  static TargetRecord target(String deployment, String device) {
    return new TargetRecord(deployment, device, 1);
  }
}
