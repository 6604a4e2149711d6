import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { FastifyInstance } from 'fastify';

/**
 * `GET /internal/status`, read-only: what only the ClickHouse-owning process can see (the
 * embedded engine cannot be opened by a second process), for `shopfloor status`: the projector's
 * recorded positions (sink_offsets, every stream's), the topic ids the projection was built from,
 * the number of dead letters in ClickHouse (`deadLetters`: the events stream's; `deadLettersByStream`:
 * events, sensors, metric-events); and, from a dedupe process, the state entries per partition.
 */
export interface InternalStatusOptions {
  /** The ClickHouse-owning process. */
  reader?: ClickHouseReader;
  /** A dedupe process: its local state stores and the partitions it is assigned. */
  state?: { stores: StateStoreFactory; assigned: () => number[] };
}

export async function internalStatusRoutes(app: FastifyInstance, options: InternalStatusOptions) {
  app.get('/internal/status', async () => ({
    // Loaded only where a reader is given: the ClickHouse helpers load the embedded engine (chdb),
    // which a dedupe process's /internal/status must not pull in.
    ...(options.reader
      ? await (await import('./projection-status.ts')).projectionStatus(options.reader)
      : {}),
    ...(options.state
      ? {
          stateEntries: options.state.assigned().map((partition) => ({
            partition,
            entries: options.state!.stores.open(partition).count(),
            checkpoint: options.state!.stores.open(partition).checkpoint() ?? null,
          })),
        }
      : {}),
  }));
}
