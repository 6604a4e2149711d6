import {
  type ClickHouseReader,
  type MachineWindowCounts,
  type OutcomeBucket,
  type OutcomeCount,
  queryFactoryIds,
  queryMachinesStats,
  queryOutcomeBuckets,
  queryOutcomeTotals,
  queryRejectedEvents,
  queryTopDefectLines,
  type RejectedEventRow,
  type TimeRange,
  type TopDefectLineCounts,
} from '@shopfloor/clickhouse';
import {
  createConsumerLagReader,
  type GroupLag,
  type GroupSubscription,
  type KafkaClient,
} from '@shopfloor/kafka';
import {
  clickHouseMetricEventsDashboardPorts,
  clickHouseSensorDashboardPorts,
  type MetricEventsDashboardPorts,
  type SensorDashboardPorts,
} from './stream-dashboard-ports.ts';

/**
 * What the dashboard reads, as functions: the plugin is tested with fakes of these, and the system
 * wires them to ClickHouse and the Kafka admin.
 */
export interface DashboardPorts {
  outcomeTotals(range: TimeRange): Promise<OutcomeCount[]>;
  outcomeBuckets(range: TimeRange): Promise<OutcomeBucket[]>;
  machines(range: TimeRange, limit: number): Promise<MachineWindowCounts[]>;
  factoryIds(range: TimeRange): Promise<string[]>;
  topDefectLines(factoryId: string, range: TimeRange, limit: number): Promise<TopDefectLineCounts[]>;
  /** The newest dead letters first. */
  deadLetters(limit: number): Promise<RejectedEventRow[]>;
  consumerLag(): Promise<GroupLag[]>;
  /** The sensor-readings stream's panels; absent: the stream is off in this process. */
  sensors?: SensorDashboardPorts | undefined;
  /** The metric-events stream's panels; absent: not served by this process. */
  metricEvents?: MetricEventsDashboardPorts | undefined;
}

/** Every port but the consumer lag, read from the ClickHouse rollups through a reader. */
export function clickHouseDashboardPorts(
  reader: ClickHouseReader,
): Omit<DashboardPorts, 'consumerLag' | 'sensors' | 'metricEvents'> {
  return {
    outcomeTotals: (range) => queryOutcomeTotals(reader, range),
    outcomeBuckets: (range) => queryOutcomeBuckets(reader, range),
    machines: (range, limit) => queryMachinesStats(reader, { ...range, limit }),
    factoryIds: (range) => queryFactoryIds(reader, range),
    topDefectLines: (factoryId, range, limit) => queryTopDefectLines(reader, { factoryId, ...range, limit }),
    deadLetters: (limit) => queryRejectedEvents(reader, { limit }),
  };
}

/**
 * The ports of a running system: ClickHouse through `reader`, the lag of `groups` through one Kafka
 * admin client (closed by `close`), and the panels of the streams the process serves (both by default).
 */
export function systemDashboardPorts(
  reader: ClickHouseReader,
  kafka: KafkaClient,
  groups: readonly GroupSubscription[],
  streams: { sensors: boolean; metricEvents: boolean } = { sensors: true, metricEvents: true },
): { ports: DashboardPorts; close(): Promise<void> } {
  const lag = createConsumerLagReader(kafka, groups);
  return {
    ports: {
      ...clickHouseDashboardPorts(reader),
      consumerLag: () => lag.read(),
      ...(streams.sensors ? { sensors: clickHouseSensorDashboardPorts(reader) } : {}),
      ...(streams.metricEvents ? { metricEvents: clickHouseMetricEventsDashboardPorts(reader) } : {}),
    },
    close: () => lag.close(),
  };
}
