import type { ShopfloorTopics } from '@shopfloor/contracts';
import type { BadRecordPolicy, GroupProjector, RebuildStream } from '@shopfloor/group-projector';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { createApplyGroupStep, TABLE_TOKEN_SUFFIX } from './apply-group-step.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';

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
