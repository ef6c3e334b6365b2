package dev.updraft.spi;

/**
 * One device of a snapshot deployment's target, fixed at creation: a deployment to a million
 * devices writes a million of these in its creating commit. Never updated. Its key is {@code
 * deploymentId/deviceId}; {@link Index#TARGETS_BY_DEVICE} finds the deployments targeting a device.
 *
 * @param version the record's version, from 1
 * @param deploymentId the deployment's id
 * @param deviceId the device's id
 */
public record TargetRecord(String deploymentId, String deviceId, long version)
    implements StoredRecord {
  @Override
  public String key() {
    return DeviceDeploymentRecord.keyOf(deploymentId, deviceId);
  }
}
