import {
  type ClickHouseWriter,
  currentDatabase,
  rebuildDatabaseOf,
  recoverProjectionSwitch,
} from '@shopfloor/clickhouse';
import type { ShopfloorTopics } from '@shopfloor/contracts';
import type { KafkaClient, ShopfloorCodecs } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { BadRecordPolicy } from './decode-group-step.ts';
import type { ProjectorConfig, ProjectorService } from './projector-service.ts';
import { idleStatus, type RebuildPhase, type RebuildStatus, rateAndEta } from './rebuild-progress.ts';
import { runRebuild } from './rebuild-run.ts';

export type RebuildJobDeps = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  /** The live projector of this process: the rebuild follows its position and pauses it to switch. */
  projector: Pick<ProjectorService, 'position' | 'whilePaused'>;
  codecs: ShopfloorCodecs;
  topics: Pick<ShopfloorTopics, 'changes' | 'deadLetter' | 'outcomes' | 'invalid'>;
  badRecordPolicy: BadRecordPolicy;
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

/**
 * The rebuild of every ClickHouse projection from the log, as a job of the ClickHouse-owning process
 * (see the projector README, "Rebuild"): re-project events.change-batches and events.dlq from offset 0 into
 * a database of their own up to the live projector's position, catch up with it, pause it, catch up
 * exactly, switch the tables, resume it. A failure or an abort leaves the serving tables as they
 * were; the next rebuild starts over.
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
    /** Starts a rebuild in the background; throws RebuildRunningError while one runs. */
    start(): RebuildStatus {
      if (status.state === 'running') throw new RebuildRunningError('a rebuild is already running');
      controller = new AbortController();
      startedMs = now();
      status = {
        ...idleStatus(),
        state: 'running',
        phase: 'preparing',
        startedAt: new Date(startedMs).toISOString(),
      };
      const signal = controller.signal;
      log.info('rebuild of the ClickHouse projections started');
      running = runRebuild(deps, signal, {
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

/** The rebuild job of a projector service, from the same config (one line in each wiring). */
export function createProjectorRebuildJob(
  config: ProjectorConfig,
  deps: Pick<RebuildJobDeps, 'kafka' | 'writer' | 'projector' | 'codecs' | 'log'>,
): RebuildJob {
  return createRebuildJob({
    ...deps,
    topics: config.topics,
    badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
    log: deps.log.child({ component: 'rebuild' }),
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

export type { RebuildPhase, RebuildStatus };
