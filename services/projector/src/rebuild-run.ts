import {
  type ClickHouseWriter,
  createRebuildDatabase,
  currentDatabase,
  type ProjectionSchema,
  readProjectionSchema,
  recoverProjectionSwitch,
  switchToRebuiltTables,
  writerIntoDatabase,
} from '@shopfloor/clickhouse';
import type { Logger } from 'pino';
import { createApplyGroupStep } from './apply-group-step.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';
import type { ProjectorPosition } from './projector-service.ts';
import { copyRange } from './rebuild-copy.ts';
import type { RebuildJobDeps } from './rebuild-job.ts';
import { checkLogComplete, topicPartitions } from './rebuild-log.ts';
import { positionsBetween, type RebuildPhase } from './rebuild-progress.ts';
import { createRetryWithHeartbeat } from './retry-with-heartbeat.ts';

/** Catch-up rounds before pausing anyway (a projector racing ahead of the rebuild for that long). */
const MAX_CATCH_UP_ROUNDS = 10;

/** Where a rebuild reports how far it got. */
export type RebuildProgressSink = {
  phase(phase: RebuildPhase): void;
  /** More log positions to re-project (the target moved on with the live projector). */
  addTotal(positions: number): void;
  chunk(records: number, positions: number): void;
};

/**
 * One rebuild (see the projector README, "Rebuild"): re-project events.change-batches and events.dlq from
 * offset 0 into the rebuild database up to the live projector's position, through the projector's
 * own decode and apply steps; catch up with it while it runs; then pause it, catch up exactly,
 * switch the tables and let it resume. Throws on failure or abort, leaving the serving tables as
 * they were.
 */
export async function runRebuild(
  deps: RebuildJobDeps,
  signal: AbortSignal,
  progress: RebuildProgressSink,
): Promise<void> {
  const { kafka, writer, projector, topics, log } = deps;
  const inputTopics = [topics.changes, topics.deadLetter];
  const database = await currentDatabase(writer);
  await recoverProjectionSwitch(writer, database);
  const serving = await readProjectionSchema(writer, database);
  const partitions = await topicPartitions(kafka, inputTopics);
  await checkLogComplete(kafka, inputTopics);
  const rebuild = await createRebuildDatabase(writer, serving);
  const retry = createRetryWithHeartbeat(log);
  const applyGroup = createApplyGroupStep({
    writer: writerIntoDatabase(writer, rebuild),
    decodeGroup: createDecodeGroupStep({
      codecs: deps.codecs,
      topics,
      badRecordPolicy: deps.badRecordPolicy,
      log,
    }),
    codecs: deps.codecs,
    topics,
    // The live projector published these outcomes and parked these records already.
    publish: async () => {},
    commitOffsets: async () => {},
    retry,
    log,
  });
  const copied = new Map<string, bigint>();
  const copyTo = async (target: ProjectorPosition, timeoutMs?: number) => {
    signal.throwIfAborted();
    progress.addTotal(positionsBetween(copied, target));
    for (const topic of inputTopics)
      await copyRange(kafka, {
        topic,
        partitions: partitions.get(topic) ?? [],
        copied,
        target,
        applyGroup,
        signal,
        ...(deps.chunkRecords === undefined ? {} : { chunkRecords: deps.chunkRecords }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        onChunk: progress.chunk,
      });
  };

  progress.phase('copying');
  await copyTo(projector.position());
  progress.phase('catching-up');
  const switchLag = deps.switchLagPositions ?? 5_000;
  for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
    const position = projector.position();
    if (positionsBetween(copied, position) <= switchLag) break;
    await copyTo(position);
  }
  signal.throwIfAborted();
  await projector.whilePaused(async (position) => {
    log.info({ behind: positionsBetween(copied, position) }, 'rebuild: projector paused; catching up to it');
    await copyTo(position, 60_000);
    signal.throwIfAborted();
    progress.phase('switching');
    await switchOrRecover(writer, serving, log);
  });
  progress.phase('done');
}

/** A switch that fails half-way is repaired before the projector may write again. */
async function switchOrRecover(
  writer: ClickHouseWriter,
  serving: ProjectionSchema,
  log: Logger,
): Promise<void> {
  try {
    await switchToRebuiltTables(writer, serving);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'rebuild: the switch failed; restoring the serving views');
    await recoverProjectionSwitch(writer, serving.database);
    throw err;
  }
}
