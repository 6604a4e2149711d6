import {
  type DetectorConfig,
  type IdentityStore,
  MapIdentityStore,
  SensorProcessor,
  type StateHorizon,
} from '@shopfloor/sensors';

/**
 * What a member holds for one partition of sensor.readings.raw: the partition's processor (its
 * windows, and its seen ids in `identities`). It is rebuilt from the changelog on every restore, so
 * a batch whose transaction failed (and left the processor ahead of the log) is undone by
 * restoring again.
 */
export class SensorPartitionState {
  processor: SensorProcessor;

  constructor(
    readonly partition: number,
    private readonly config: DetectorConfig,
    private readonly horizon?: StateHorizon | undefined,
    private readonly identities: IdentityStore = new MapIdentityStore(),
  ) {
    this.processor = new SensorProcessor(config, horizon, identities);
  }

  /** Forgets everything: the next restore starts from an empty processor. */
  clear(): void {
    this.identities.clear();
    this.processor = new SensorProcessor(this.config, this.horizon, this.identities);
  }
}
