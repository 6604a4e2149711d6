import {
  describeCluster,
  describeGroup,
  existingTopics,
  fetchCommittedOffsets,
  fetchLogRanges,
  type PartitionRange,
  partitionLag,
} from '@shopfloor/kafka';
import type { CliContext } from './cli-context.ts';
import { countStateEntries } from './state-entries.ts';
import { callSystem } from './system-api.ts';

export type GroupPartitionStatus = {
  topic: string;
  partition: number;
  committed: string | null;
  logEnd: string;
  lag: string;
};

export type StatusReport = {
  broker: { reachable: boolean; brokers: string[]; clusterId?: string; error?: string };
  groups: {
    group: string;
    state: string;
    members: number;
    lag: string;
    partitions: GroupPartitionStatus[];
  }[];
  projector: {
    topic: string;
    partition: number;
    appliedUpTo: string;
    logEnd: string;
    behind: string;
    lastGroupAt: string;
  }[];
  /**
   * Per partition of events.state: `entries` counted from the changelog (every dedupe process's
   * state, whichever member holds the partition; null when not read), `held` as the --url process
   * reports it for the partitions it holds (null otherwise), the log's records.
   */
  state: { partition: number; entries: number | null; held: number | null; logRecords: string }[];
  /** Why the changelog was not counted (not asked, or it could not be read in time). */
  stateEntriesError?: string;
  deadLetters: { inLog: string | null; inClickHouse: number | null };
  system: { url: string; reachable: boolean; error?: string };
  clickhouse: { reachable: boolean; mode?: string; error?: string };
  registry: { url: string; reachable: boolean; error?: string };
};

type InternalStatus = {
  clickhouse?: { mode: string; reachable: boolean };
  sinkOffsets?: { topic: string; partition: number; maxOffset: string; updatedAt: string }[];
  deadLetters?: number;
  stateEntries?: { partition: number; entries: number }[];
};

const size = (r: PartitionRange) => (r.end - r.start).toString();

async function probe(url: string): Promise<{ reachable: boolean; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return res.ok ? { reachable: true } : { reachable: false, error: `HTTP ${res.status}` };
  } catch (err) {
    return { reachable: false, error: (err as Error).message };
  }
}

/**
 * Everything `shopfloor status` shows: per group and partition the committed offset, log end and
 * lag (from the broker); the projector's applied positions (from the ClickHouse-owning process,
 * GET /internal/status); state entries per partition (what the dedupe process reports, next to
 * the size of the compacted events.state log); dead letters; reachability of each part.
 * State entries per partition are counted from the changelog (every member's state, read once
 * up to its end), unless `countStateEntries: false`.
 */
export async function collectStatus(
  ctx: CliContext,
  options: { countStateEntries?: boolean } = {},
): Promise<StatusReport> {
  const { config, kafka } = ctx;
  const topics = config.topics;
  const report: StatusReport = {
    broker: { reachable: false, brokers: ctx.brokers },
    groups: [],
    projector: [],
    state: [],
    deadLetters: { inLog: null, inClickHouse: null },
    system: { url: ctx.url, reachable: false },
    clickhouse: { reachable: false },
    registry: { url: '', reachable: false },
  };

  let internal: InternalStatus | undefined;
  try {
    internal = (
      await callSystem<InternalStatus>(`${ctx.url}/internal/status`, { timeoutMs: 5_000, apiKey: ctx.apiKey })
    ).body;
    report.system.reachable = true;
    if (internal.clickhouse) report.clickhouse = { reachable: true, mode: internal.clickhouse.mode };
  } catch (err) {
    report.system.error = (err as Error).message;
    report.clickhouse.error = 'asked through the running system, which did not answer';
  }

  const ranges = new Map<string, PartitionRange[]>();
  try {
    report.broker.clusterId = (await describeCluster(ctx.brokers, { timeoutMs: 3_000 })).clusterId;
    report.broker.reachable = true;
    const present = await existingTopics(kafka, [
      topics.raw,
      topics.state,
      topics.changes,
      topics.deadLetter,
    ]);
    for (const t of present) ranges.set(t, await fetchLogRanges(kafka, t));
    for (const [group, groupTopics] of [
      [config.SHOPFLOOR_DEDUPE_GROUP, [topics.raw]],
      [config.SHOPFLOOR_PROJECTOR_GROUP, [topics.changes, topics.deadLetter]],
    ] as const) {
      const described = await describeGroup(kafka, group);
      const committed = await fetchCommittedOffsets(
        kafka,
        group,
        groupTopics.filter((t) => present.has(t)),
      );
      const partitions = committed.map((c) => {
        const p = partitionLag(
          c,
          ranges.get(c.topic)?.find((r) => r.partition === c.partition),
        );
        return {
          topic: p.topic,
          partition: p.partition,
          committed: p.committed?.toString() ?? null,
          logEnd: p.logEnd.toString(),
          lag: p.lag.toString(),
        };
      });
      const lag = partitions.reduce((n, p) => n + BigInt(p.lag), 0n).toString();
      report.groups.push({ group, state: described.state, members: described.members, lag, partitions });
    }
    const dlq = ranges.get(topics.deadLetter) ?? [];
    report.deadLetters.inLog = dlq.reduce((n, r) => n + (r.end - r.start), 0n).toString();
  } catch (err) {
    report.broker.error = (err as Error).message;
  }

  for (const s of internal?.sinkOffsets ?? []) {
    if (s.topic !== topics.changes && s.topic !== topics.deadLetter) continue;
    const end = ranges.get(s.topic)?.find((r) => r.partition === s.partition)?.end;
    const behind = end === undefined ? '?' : (end - 1n - BigInt(s.maxOffset)).toString();
    report.projector.push({
      topic: s.topic,
      partition: s.partition,
      appliedUpTo: s.maxOffset,
      logEnd: end?.toString() ?? '?',
      behind,
      lastGroupAt: s.updatedAt,
    });
  }
  const held = new Map((internal?.stateEntries ?? []).map((e) => [e.partition, e.entries]));
  const stateRanges = ranges.get(topics.state) ?? [];
  let counted = new Map<number, number>();
  if (options.countStateEntries === false) report.stateEntriesError = 'not counted (--no-state-scan)';
  else if (stateRanges.length > 0) {
    try {
      counted = await countStateEntries(kafka, topics.state, stateRanges);
    } catch (err) {
      report.stateEntriesError = (err as Error).message;
    }
  }
  for (const r of stateRanges)
    report.state.push({
      partition: r.partition,
      entries: counted.get(r.partition) ?? null,
      held: held.get(r.partition) ?? null,
      logRecords: size(r),
    });
  report.deadLetters.inClickHouse = internal?.deadLetters ?? null;

  // The registry the services use (SCHEMA_REGISTRY_URL, or the local default): its subject list.
  const url = `${config.schemaRegistry.url.replace(/\/$/, '')}/subjects`;
  report.registry = { url, ...(await probe(url)) };
  return report;
}
