import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorTopics } from '@shopfloor/contracts';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { createApplyGroupStep, TABLE_TOKEN_SUFFIX } from './apply-group-step.ts';
import { type BadRecordPolicy, createDecodeGroupStep } from './decode-group-step.ts';
import type { ApplyGroup, GroupProjector, GroupProjectorIo } from './group-projector.ts';

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

/** The events stream: events.change-batches and events.dlq into event_changes, rejected_events, batch_events. */
export function eventsRebuildStream(deps: {
  projector: Pick<GroupProjector, 'position' | 'whilePaused' | 'inputTopics'>;
  codecs: ShopfloorCodecs;
  topics: Pick<ShopfloorTopics, 'changes' | 'deadLetter' | 'outcomes' | 'invalid'>;
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
}): RebuildStream {
  const { codecs, topics, log } = deps;
  return {
    name: 'events',
    projector: deps.projector,
    rootTables: Object.keys(TABLE_TOKEN_SUFFIX),
    applyGroupInto: (writer, io) =>
      createApplyGroupStep({
        writer,
        decodeGroup: createDecodeGroupStep({ codecs, topics, badRecordPolicy: deps.badRecordPolicy, log }),
        codecs,
        topics,
        ...io,
        log,
      }),
  };
}
