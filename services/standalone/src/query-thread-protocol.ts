import type { ShopfloorConfig } from '@shopfloor/config';
import type { HttpRequestObservation } from '@shopfloor/metrics';

/** A route the query thread serves (its method and Fastify path, e.g. `/api/equipment/:id/status`). */
export type QueryRoute = { method: string; url: string };

/** What the pipeline's main thread gives the query thread at its start. */
export type QueryThreadData = {
  /** The process's configuration, with the brokers and the registry it actually runs on. */
  config: ShopfloorConfig;
  /** The main thread's lock for statements with parameters (`paramLockBuffer` of @shopfloor/clickhouse). */
  paramLock: SharedArrayBuffer;
};

/** What the query thread tells the main thread. */
export type QueryThreadMessage =
  | { type: 'ready'; port: number; routes: QueryRoute[] }
  | { type: 'failed'; message: string }
  /** A request it answered, for the process's `shopfloor_http_request_duration_seconds`. */
  | ({ type: 'http' } & HttpRequestObservation)
  | { type: 'stopped' };

/** What the main thread tells the query thread: close the server, the key follower and the sessions. */
export type MainToQueryThreadMessage = { type: 'stop' };
