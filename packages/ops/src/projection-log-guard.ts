import {
  type ClickHouseReader,
  type ClickHouseWriter,
  readAllSinkOffsets,
  toDateTime64,
} from '@shopfloor/clickhouse';
import {
  type CommittedOffset,
  fetchCommittedOffsets,
  type KafkaClient,
  type PartitionRange,
  setCommittedOffsets,
} from '@shopfloor/kafka';
import { readLogFacts } from './log-facts.ts';
import { type DerivedPosition, findLogMismatches, LogMismatchError } from './log-mismatch.ts';

type SinkPosition = {
  topic: string;
  partition: number;
  minOffset: bigint;
  maxOffset: bigint;
  updatedAt: number;
};

/** Every partition's latest sink_offsets marker (the projector's applied ranges). */
export async function readSinkPositions(reader: ClickHouseReader): Promise<SinkPosition[]> {
  return (await readAllSinkOffsets(reader)).map((r) => ({
    ...r,
    minOffset: BigInt(r.minOffset),
    maxOffset: BigInt(r.maxOffset),
  }));
}

/** The topic ids the projection was built from, by topic. */
export async function readRecordedTopicIds(reader: ClickHouseReader): Promise<Map<string, string>> {
  const rows = await reader.query('SELECT topic, topic_id AS topicId FROM log_identity FINAL');
  return new Map(rows.map((r) => [String(r.topic), String(r.topicId)]));
}

/**
 * Before the projector reads anything: the ClickHouse projection must come from the topics that
 * exist now (topic ids recorded in log_identity next to sink_offsets) and its recorded ranges
 * must lie within their logs (the latest group, which may have to be re-formed, must still be
 * readable). Throws LogMismatchError otherwise; on agreement records the current topic ids.
 */
export async function checkProjectionAgainstLog(deps: {
  kafka: KafkaClient;
  brokers: string[];
  writer: ClickHouseWriter;
  topics: readonly string[];
  /** The projector's consumer group: its commits tell whether the latest group was applied. */
  groupId: string;
}): Promise<void> {
  const facts = await readLogFacts(deps.kafka, deps.brokers, deps.topics);
  const recorded = await readRecordedTopicIds(deps.writer);
  const sink = (await readSinkPositions(deps.writer)).filter((s) => deps.topics.includes(s.topic));
  const latest = sink.reduce((m, s) => Math.max(m, s.updatedAt), 0);
  // The latest group must be re-readable only while it may be unapplied: once the projector
  // committed past it (as the projector itself decides), retention may have deleted its records.
  const committed = await fetchCommittedOffsets(deps.kafka, deps.groupId, [...facts.ranges.keys()]);
  const latestApplied = sink.some(
    (s) =>
      s.updatedAt === latest &&
      committed.some(
        (c) => c.topic === s.topic && c.partition === s.partition && (c.offset ?? -1n) > s.maxOffset,
      ),
  );
  const positions: DerivedPosition[] = sink.map((s) => ({
    topic: s.topic,
    partition: s.partition,
    next: s.maxOffset + 1n,
    ...(s.updatedAt === latest && !latestApplied ? { needsFrom: s.minOffset } : {}),
  }));
  const mismatches = findLogMismatches({
    store: 'the ClickHouse projection',
    recordedTopicIds: new Map([...recorded].filter(([t]) => deps.topics.includes(t))),
    positions,
    log: facts,
  });
  if (mismatches.length > 0) throw new LogMismatchError('the projector', mismatches);
  if (sink.length === 0) await rederiveEmptyProjection(deps, facts.ranges, committed);
  const now = toDateTime64(Date.now());
  const changed = deps.topics.filter(
    (t) => facts.topicIds.has(t) && recorded.get(t) !== facts.topicIds.get(t),
  );
  if (changed.length > 0)
    await deps.writer.insert({
      table: 'log_identity',
      columns: ['topic', 'topic_id', 'recorded_at'],
      format: 'JSONCompactEachRow',
      values: changed.map((t) => [t, facts.topicIds.get(t)!, now]),
    });
}

/**
 * The projection holds nothing from these topics (emptied by `shopfloor reset-derived`, or a new
 * ClickHouse) while the projector's group committed past the start of their logs: resumed from
 * those offsets the projector would skip every record before them and the tables would stay
 * incomplete, silently. So the group is moved back to the start of each log and the projection is
 * derived again from all of it. Refused (by the broker) while a member of the group runs.
 */
async function rederiveEmptyProjection(
  deps: { kafka: KafkaClient; topics: readonly string[]; groupId: string },
  ranges: ReadonlyMap<string, readonly PartitionRange[]>,
  committed: readonly CommittedOffset[],
): Promise<void> {
  for (const topic of deps.topics) {
    const behind = (ranges.get(topic) ?? []).filter((r) => {
      const c = committed.find((o) => o.topic === topic && o.partition === r.partition)?.offset;
      return c !== undefined && c > r.start;
    });
    if (behind.length === 0) continue;
    await setCommittedOffsets(
      deps.kafka,
      deps.groupId,
      topic,
      behind.map((r) => ({ partition: r.partition, offset: r.start })),
    );
  }
}
