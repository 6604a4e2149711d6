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
import {
  type ApplyGroup,
  createRetryWithHeartbeat,
  type ProjectorPosition,
  type RebuildStream,
} from '@shopfloor/group-projector';
import type { Logger } from 'pino';
import { copyRange } from './rebuild-copy.ts';
import type { RebuildJobDeps } from './rebuild-job.ts';
import { checkLogComplete, topicPartitions } from './rebuild-log.ts';
import { positionsBetween, type RebuildPhase } from './rebuild-progress.ts';

/** Catch-up rounds before pausing anyway (a projector racing ahead of the rebuild for that long). */
const MAX_CATCH_UP_ROUNDS = 10;

/** Where a rebuild reports how far it got. */
export type RebuildProgressSink = {
  phase(phase: RebuildPhase): void;
  /** More log positions to re-project (the target moved on with the live projector). */
  addTotal(positions: number): void;
  chunk(records: number, positions: number): void;
};

type StreamCopy = { stream: RebuildStream; applyGroup: ApplyGroup; copied: Map<string, bigint> };

/**
 * One rebuild of the chosen streams' projections (see the projector README, "Rebuild"): re-project
 * each stream's input topics from offset 0 into the rebuild database up to its live projector's
 * position, through the stream's own apply step; catch up with the projectors while they run; then
 * pause all of them, catch up exactly, switch every table of every chosen stream in one EXCHANGE and
 * let them resume. Throws on failure or abort, leaving the serving tables as they were.
 */
export async function runRebuild(
  deps: RebuildJobDeps,
  streams: readonly RebuildStream[],
  signal: AbortSignal,
  progress: RebuildProgressSink,
): Promise<void> {
  const { kafka, writer, log } = deps;
  const inputTopics = streams.flatMap((s) => s.projector.inputTopics);
  const database = await currentDatabase(writer);
  await recoverProjectionSwitch(writer, database);
  const serving = await readProjectionSchema(
    writer,
    database,
    streams.flatMap((s) => s.rootTables),
  );
  const partitions = await topicPartitions(kafka, inputTopics);
  await checkLogComplete(kafka, inputTopics);
  const rebuild = await createRebuildDatabase(writer, serving);
  const retry = createRetryWithHeartbeat(log);
  // The live projectors published these outcomes, parked these records and committed these offsets.
  const io = { publish: async () => {}, commitOffsets: async () => {}, retry };
  const copies: StreamCopy[] = streams.map((stream) => ({
    stream,
    applyGroup: stream.applyGroupInto(writerIntoDatabase(writer, rebuild), io),
    copied: new Map(),
  }));
  const copyTo = async (copy: StreamCopy, target: ProjectorPosition, timeoutMs?: number) => {
    signal.throwIfAborted();
    progress.addTotal(positionsBetween(copy.copied, target));
    for (const topic of copy.stream.projector.inputTopics)
      await copyRange(kafka, {
        topic,
        partitions: partitions.get(topic) ?? [],
        copied: copy.copied,
        target,
        applyGroup: copy.applyGroup,
        signal,
        ...(deps.chunkRecords === undefined ? {} : { chunkRecords: deps.chunkRecords }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        onChunk: progress.chunk,
      });
  };
  const behind = (copy: StreamCopy) => positionsBetween(copy.copied, copy.stream.projector.position());

  progress.phase('copying');
  for (const copy of copies) await copyTo(copy, copy.stream.projector.position());
  progress.phase('catching-up');
  const switchLag = deps.switchLagPositions ?? 5_000;
  for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
    const late = copies.filter((c) => behind(c) > switchLag);
    if (late.length === 0) break;
    for (const copy of late) await copyTo(copy, copy.stream.projector.position());
  }
  signal.throwIfAborted();
  await whileAllPaused(copies, async (positions) => {
    for (const [i, copy] of copies.entries()) {
      log.info(
        { stream: copy.stream.name, behind: positionsBetween(copy.copied, positions[i]!) },
        'rebuild: projector paused; catching up to it',
      );
      await copyTo(copy, positions[i]!, 60_000);
    }
    signal.throwIfAborted();
    progress.phase('switching');
    await switchOrRecover(writer, serving, log);
  });
  progress.phase('done');
}

/** Pauses every stream's projector (one after the other, held together) and runs `work` with their positions. */
function whileAllPaused(
  copies: readonly StreamCopy[],
  work: (positions: ProjectorPosition[]) => Promise<void>,
  held: ProjectorPosition[] = [],
): Promise<void> {
  const next = copies[held.length];
  if (!next) return work(held);
  return next.stream.projector.whilePaused((position) => whileAllPaused(copies, work, [...held, position]));
}

/** A switch that fails half-way is repaired before the projectors may write again. */
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
