import type { ShopfloorConfig } from '@shopfloor/config';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import { checkAll, checkStateAgainstLog } from '@shopfloor/ops';
import { checkProjectionAgainstLog } from '@shopfloor/ops/clickhouse';
import type { SensorService } from '@shopfloor/sensors-service';
import type { SystemInfrastructure } from './system-infrastructure.ts';

/**
 * Refuses to start on a log that is not the one the derived stores (the ClickHouse projections,
 * the dedupe state) were built from.
 */
export async function checkDerivedStoresAgainstLogs(
  config: ShopfloorConfig,
  { kafka, brokers, clickhouse }: SystemInfrastructure,
  stores: StateStoreFactory,
  sensors: SensorService | undefined,
): Promise<void> {
  const projection = (topics: readonly string[], groupId: string) => () =>
    checkProjectionAgainstLog({ kafka, brokers, writer: clickhouse.writer, topics, groupId });
  await checkAll('Shopfloor', [
    // Both sensor projectors (readings, alerts), each against its own topics.
    ...(sensors?.consumerGroups.projectors.map((g) => projection(g.topics, g.groupId)) ?? []),
    projection([config.topics.changes, config.topics.deadLetter], config.SHOPFLOOR_PROJECTOR_GROUP),
    () =>
      checkStateAgainstLog({
        kafka,
        brokers,
        stores,
        stateDir: config.dirs.state,
        stateTopic: config.topics.state,
        partitions: config.SHOPFLOOR_PARTITIONS,
      }),
  ]);
}
