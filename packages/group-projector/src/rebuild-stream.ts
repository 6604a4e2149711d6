import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ApplyGroup, GroupProjectorIo } from './apply-group.ts';
import type { GroupProjector } from './group-projector.ts';

/**
 * One stream's part of a rebuild: its live projector (the rebuild follows its position and pauses
 * it for the switch), the root tables its apply step inserts into (its views and their targets are
 * found from them), and its apply step writing through another writer (the rebuild database's).
 */
export type RebuildStream = {
  /** How the operator names it: `events`, `sensors`, `metric-events`. */
  name: string;
  projector: Pick<GroupProjector, 'position' | 'whilePaused' | 'inputTopics'>;
  rootTables: readonly string[];
  /** The stream's apply step into `writer`; the rebuild's `io` publishes and commits nothing. */
  applyGroupInto: (writer: ClickHouseWriter, io: GroupProjectorIo) => ApplyGroup;
};
