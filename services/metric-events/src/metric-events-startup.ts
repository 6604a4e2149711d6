import type { ClickHouseReader, ClickHouseWriter } from '@shopfloor/clickhouse';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { KafkaClient } from '@shopfloor/kafka';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import { checkAll, checkStateAgainstLog } from '@shopfloor/ops';
import { checkProjectionAgainstLog } from '@shopfloor/ops/clickhouse';
import type { MetricTopics } from './metric-topics.ts';

/** The tables of the stream (migrations 0040, 0041): the projector writes them, the routes read them. */
export const METRIC_EVENT_TABLES = ['metric_events', 'metric_minute_totals', 'metric_failed_events'] as const;

/** Thrown at start-up when a table of the stream is missing (the migrations were not applied). */
export class MissingMetricTablesError extends Error {
  readonly code = 'MISSING_TABLES';
  constructor(readonly missing: readonly string[]) {
    super(
      `the metric-events tables ${missing.join(', ')} are missing from the ClickHouse database: apply the migrations (every service main and the all-in-one run them at start-up)`,
    );
    this.name = 'MissingMetricTablesError';
  }
}

/** Throws MissingMetricTablesError naming every table of the stream that the database lacks. */
export async function checkMetricEventTables(reader: ClickHouseReader): Promise<readonly string[]> {
  const rows = await reader.query(
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}`,
    { params: { names: [...METRIC_EVENT_TABLES] } },
  );
  const present = new Set(rows.map((r) => String(r.name)));
  const missing = METRIC_EVENT_TABLES.filter((t) => !present.has(t));
  if (missing.length > 0) throw new MissingMetricTablesError(missing);
  return METRIC_EVENT_TABLES;
}

/**
 * The projection in the stream's tables comes from the metric topics that exist now and lies within
 * their logs (`checkProjectionAgainstLog`: LogMismatchError with the command that fixes it
 * otherwise; an emptied projection is derived again from the start of the log).
 */
export function checkMetricProjectionAgainstLog(deps: {
  kafka: KafkaClient;
  brokers: string[];
  writer: ClickHouseWriter;
  topics: Pick<MetricTopics, 'processed' | 'failed'>;
  projectorGroupId: string;
}): Promise<void> {
  return checkProjectionAgainstLog({
    kafka: deps.kafka,
    brokers: deps.brokers,
    writer: deps.writer,
    topics: [deps.topics.processed, deps.topics.failed],
    groupId: deps.projectorGroupId,
  });
}

/**
 * What the stream checks before anything reads or writes: its tables exist, and the processor's
 * state and the projection in them come from these topics (both mismatches reported together, as
 * the other streams do). Returns the tables checked (for the start-up line).
 */
export async function checkMetricEventsStore(deps: {
  kafka: KafkaClient;
  brokers: string[];
  clickhouse: { reader: ClickHouseReader; writer: ClickHouseWriter };
  stores: StateStoreFactory<MetricStateRecord>;
  stateDir: string;
  topics: MetricTopics;
  partitions: number;
  projectorGroupId: string;
}): Promise<readonly string[]> {
  const tables = await checkMetricEventTables(deps.clickhouse.reader);
  await checkAll('Shopfloor (metric events)', [
    () =>
      checkStateAgainstLog({
        kafka: deps.kafka,
        brokers: deps.brokers,
        stores: deps.stores,
        stateDir: deps.stateDir,
        stateTopic: deps.topics.state,
        partitions: deps.partitions,
        name: 'metric-events',
      }),
    () =>
      checkMetricProjectionAgainstLog({
        kafka: deps.kafka,
        brokers: deps.brokers,
        writer: deps.clickhouse.writer,
        topics: deps.topics,
        projectorGroupId: deps.projectorGroupId,
      }),
  ]);
  return tables;
}
