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
import type { StatusReport } from './status-report.ts';
import { streamLayouts } from './streams.ts';
import { callSystem } from './system-api.ts';

export type { GroupPartitionStatus, StatusReport } from './status-report.ts';

type InternalStatus = {
  clickhouse?: { mode: string; reachable: boolean };
  sinkOffsets?: { topic: string; partition: number; maxOffset: string; updatedAt: string }[];
  deadLetters?: number;
  deadLettersByStream?: Record<string, number | null>;
  stateEntries?: { partition: number; entries: number }[];
};

const size = (r: PartitionRange) => (r.end - r.start).toString();
const sum = (values: readonly bigint[]) => values.reduce((n, v) => n + v, 0n).toString();

async function probe(url: string): Promise<{ reachable: boolean; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return res.ok ? { reachable: true } : { reachable: false, error: `HTTP ${res.status}` };
  } catch (err) {
    return { reachable: false, error: (err as Error).message };
  }
}

/**
 * Everything `shopfloor status` shows, for each stream (events, sensors, metric-events): per group
 * (processor, projector) and partition the committed offset, log end and lag (from the broker);
 * the projector's applied positions (from the ClickHouse-owning process, GET /internal/status);
 * state entries per partition of the state changelog (counted from it, unless
 * `countStateEntries: false`); dead letters; and the reachability of each part.
 */
export async function collectStatus(
  ctx: CliContext,
  options: { countStateEntries?: boolean } = {},
): Promise<StatusReport> {
  const { config, kafka } = ctx;
  const streams = streamLayouts(config);
  const report: StatusReport = {
    broker: { reachable: false, brokers: ctx.brokers },
    groups: [],
    projector: [],
    state: [],
    deadLetters: [],
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
    const wanted = streams.flatMap((s) => [
      ...s.processor.topics,
      ...s.stateTopics,
      ...s.projectors.flatMap((p) => p.topics),
    ]);
    const present = await existingTopics(kafka, wanted);
    for (const t of present) ranges.set(t, await fetchLogRanges(kafka, t));
    for (const s of streams)
      for (const [role, { group, topics }] of [
        ['processor', s.processor] as const,
        ...s.projectors.map((p) => ['projector', p] as const),
      ]) {
        const described = await describeGroup(kafka, group);
        const committed = await fetchCommittedOffsets(
          kafka,
          group,
          topics.filter((t) => present.has(t)),
        );
        const partitions = committed.map((c) => {
          const p = partitionLag(
            c,
            ranges.get(c.topic)?.find((r) => r.partition === c.partition),
          );
          const at = p.committed?.toString() ?? null;
          return { ...p, committed: at, logEnd: p.logEnd.toString(), lag: p.lag.toString() };
        });
        const lag = sum(partitions.map((p) => BigInt(p.lag)));
        const { state, members } = described;
        report.groups.push({ stream: s.name, role, group, state, members, lag, partitions });
      }
  } catch (err) {
    report.broker.error = (err as Error).message;
  }

  for (const s of streams)
    for (const sink of internal?.sinkOffsets ?? []) {
      if (!s.projectors.some((p) => p.topics.includes(sink.topic))) continue;
      const end = ranges.get(sink.topic)?.find((r) => r.partition === sink.partition)?.end;
      report.projector.push({
        stream: s.name,
        topic: sink.topic,
        partition: sink.partition,
        appliedUpTo: sink.maxOffset,
        logEnd: end?.toString() ?? '?',
        behind: end === undefined ? '?' : (end - 1n - BigInt(sink.maxOffset)).toString(),
        lastGroupAt: sink.updatedAt,
      });
    }

  const held = new Map((internal?.stateEntries ?? []).map((e) => [e.partition, e.entries]));
  if (options.countStateEntries === false) report.stateEntriesError = 'not counted (--no-state-scan)';
  for (const s of streams) {
    for (const stateTopic of s.stateTopics) {
      const stateRanges = ranges.get(stateTopic) ?? [];
      let counted = new Map<number, number>();
      if (options.countStateEntries !== false && stateRanges.length > 0) {
        try {
          counted = await countStateEntries(kafka, stateTopic, stateRanges);
        } catch (err) {
          report.stateEntriesError = `${stateTopic}: ${(err as Error).message}`;
        }
      }
      for (const r of stateRanges)
        report.state.push({
          stream: s.name,
          topic: stateTopic,
          partition: r.partition,
          entries: counted.get(r.partition) ?? null,
          held: s.name === 'events' ? (held.get(r.partition) ?? null) : null,
          logRecords: size(r),
        });
    }
    const dlq = ranges.get(s.deadLetterTopic);
    report.deadLetters.push({
      stream: s.name,
      topic: s.deadLetterTopic,
      inLog: dlq ? sum(dlq.map((r) => r.end - r.start)) : null,
      inClickHouse:
        internal?.deadLettersByStream?.[s.name] ??
        (s.name === 'events' ? (internal?.deadLetters ?? null) : null),
    });
  }

  // The registry the services use (SCHEMA_REGISTRY_URL, or the local default): its subject list.
  const url = `${config.schemaRegistry.url.replace(/\/$/, '')}/subjects`;
  report.registry = { url, ...(await probe(url)) };
  return report;
}
