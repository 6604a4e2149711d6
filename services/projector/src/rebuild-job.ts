import {
  type ClickHouseWriter,
  currentDatabase,
  rebuildDatabaseOf,
  recoverProjectionSwitch,
} from '@shopfloor/clickhouse';
import type { RebuildStream } from '@shopfloor/group-projector';
import type { KafkaClient, ShopfloorCodecs } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { ProjectorConfig, ProjectorService } from './projector-service.ts';
import { idleStatus, type RebuildPhase, type RebuildStatus, rateAndEta } from './rebuild-progress.ts';
import { runRebuild } from './rebuild-run.ts';
import { eventsRebuildStream } from './rebuild-stream.ts';

export type RebuildJobDeps = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  /**
   * Every stream whose projection this process owns (events, sensors, metric-events): a rebuild
   * rebuilds all of them, or the ones it is asked for, and switches them together.
   */
  streams: readonly RebuildStream[];
  log: Logger;
  /** The projector is paused for the switch once it is at most this many positions ahead. */
  switchLagPositions?: number;
  /** Records per insert into the rebuild tables (default REBUILD_CHUNK_RECORDS). */
  chunkRecords?: number;
  now?: () => number;
};

export class RebuildRunningError extends Error {
  override readonly name = 'RebuildRunningError';
}

/** A rebuild asked for a stream this process does not project. */
export class UnknownRebuildStreamError extends Error {
  override readonly name = 'UnknownRebuildStreamError';
}

/**
 * The rebuild of the ClickHouse projections from the log, as a job of the ClickHouse-owning process
 * (see the projector README, "Rebuild"): re-project each stream's input topics from offset 0 into a
 * database of their own up to its live projector's position, catch up, pause the projectors, catch
 * up exactly, switch the tables, resume them. A failure or an abort leaves the serving tables as
 * they were; the next rebuild starts over.
 */
export function createRebuildJob(deps: RebuildJobDeps) {
  const { writer, log } = deps;
  const now = deps.now ?? Date.now;
  let status: RebuildStatus = idleStatus();
  let controller: AbortController | undefined;
  let running: Promise<void> | undefined;
  let startedMs = 0;

  const update = (patch: Partial<RebuildStatus>) => {
    status = { ...status, ...patch };
    if (status.state === 'running')
      status = { ...status, ...rateAndEta(status.done, status.total, now() - startedMs) };
  };

  return {
    status: (): RebuildStatus => ({ ...status }),
    /** The streams it can rebuild, by name. */
    streams: (): string[] => streamNames(deps.streams),
    /**
     * Starts a rebuild of the named streams (default: all) in the background; throws
     * RebuildRunningError while one runs, UnknownRebuildStreamError for a name it does not know.
     */
    start(names?: readonly string[]): RebuildStatus {
      if (status.state === 'running') throw new RebuildRunningError('a rebuild is already running');
      const chosen = chooseStreams(deps.streams, names);
      controller = new AbortController();
      startedMs = now();
      status = {
        ...idleStatus(),
        state: 'running',
        phase: 'preparing',
        startedAt: new Date(startedMs).toISOString(),
        streams: streamNames(chosen),
      };
      const signal = controller.signal;
      log.info({ streams: status.streams }, 'rebuild of the ClickHouse projections started');
      running = runRebuild(deps, chosen, signal, {
        phase: (phase) => update({ phase }),
        addTotal: (n) => update({ total: status.total + n }),
        chunk: (records, positions) =>
          update({ records: status.records + records, done: status.done + positions }),
      }).then(
        () => {
          update({ state: 'succeeded', finishedAt: new Date(now()).toISOString(), etaSeconds: 0 });
          log.info({ records: status.records, done: status.done }, 'rebuild done: the rebuilt tables serve');
        },
        async (err: unknown) => {
          const aborted = signal.aborted;
          const message = err instanceof Error ? err.message : String(err);
          status = {
            ...status,
            state: aborted ? 'aborted' : 'failed',
            error: message,
            finishedAt: new Date(now()).toISOString(),
          };
          log.error(
            { err: message },
            aborted ? 'rebuild aborted' : 'rebuild failed; the serving tables are untouched',
          );
          await dropRebuildDatabase(writer, log);
        },
      );
      return this.status();
    },
    /** Asks a running rebuild to stop (not inside the switch, which is short); resolves when it did. */
    async abort(): Promise<RebuildStatus> {
      controller?.abort(new Error('aborted by the operator'));
      await running;
      return this.status();
    },
    /** Settles when the current rebuild (if any) has ended. */
    async settled(): Promise<RebuildStatus> {
      await running;
      return this.status();
    },
  };
}

export type RebuildJob = ReturnType<typeof createRebuildJob>;

/** A stream may have several projectors (the sensors: readings and alerts), one name. */
function streamNames(streams: readonly RebuildStream[]): string[] {
  return [...new Set(streams.map((s) => s.name))];
}

function chooseStreams(streams: readonly RebuildStream[], names?: readonly string[]): RebuildStream[] {
  if (!names || names.length === 0) return [...streams];
  const unknown = names.filter((n) => !streams.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new UnknownRebuildStreamError(
      `no stream ${unknown.join(', ')} here; this process rebuilds ${streamNames(streams).join(', ')}`,
    );
  return streams.filter((s) => names.includes(s.name));
}

/**
 * The rebuild job of a projector service, from the same config (one line in each wiring): the
 * events stream, plus the other streams whose projectors run in the same process (`streams`).
 */
export function createProjectorRebuildJob(
  config: ProjectorConfig,
  deps: Pick<RebuildJobDeps, 'kafka' | 'writer' | 'log'> & {
    projector: Pick<ProjectorService, 'position' | 'whilePaused' | 'inputTopics'>;
    codecs: ShopfloorCodecs;
    streams?: readonly RebuildStream[];
  },
): RebuildJob {
  const log = deps.log.child({ component: 'rebuild' });
  const events = eventsRebuildStream({
    projector: deps.projector,
    codecs: deps.codecs,
    topics: config.topics,
    badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
    log,
  });
  return createRebuildJob({
    kafka: deps.kafka,
    writer: deps.writer,
    streams: [events, ...(deps.streams ?? [])],
    log,
  });
}

async function dropRebuildDatabase(writer: ClickHouseWriter, log: Logger): Promise<void> {
  try {
    const database = await currentDatabase(writer);
    await recoverProjectionSwitch(writer, database);
    await writer.command(`DROP DATABASE IF EXISTS ${rebuildDatabaseOf(database)} SYNC`);
  } catch (err) {
    log.warn(
      { err: (err as Error).message },
      'rebuild: could not drop the rebuild database; the next rebuild will',
    );
  }
}

export type { RebuildPhase, RebuildStatus, RebuildStream };
