import type { SensorStateRecord } from '@shopfloor/sensors';
import type { ChangelogState } from '@shopfloor/stream-runner';
import type { SensorPartitionState } from './sensor-partition-state.ts';

/**
 * The sensor processor's side of a restore from sensor.state: the processor keeps no local
 * checkpoint, so it is cleared and rebuilt from the whole compacted partition, in offset order (a
 * tombstone drops an identity past the state horizon that compaction has not removed yet). The
 * restore itself (marker, read to it) is the platform's.
 */
export const sensorChangelogState: ChangelogState<SensorPartitionState, SensorStateRecord> = {
  startOffset(state) {
    state.clear();
    return '0';
  },
  apply(state, entries) {
    for (const { key, value } of entries) state.processor.restore({ key, value });
  },
};
