import type { OutcomeRecord } from '@shopfloor/contracts';
import type { QueryRoute } from './query-thread-protocol.ts';

/** What the pipeline process tells the start command's supervisor. */
export type PipelineProcessMessage =
  | {
      type: 'ready';
      url: string;
      brokers: string[];
      registryUrl: string;
      /** The query thread's URL and routes (split, SHOPFLOOR_QUERY_THREAD), for the gateway process. */
      queryThread?: { url: string; routes: QueryRoute[] } | undefined;
    }
  | { type: 'outcomes'; records: OutcomeRecord[] };

/** What the supervisor tells the pipeline process: the gateway process's count of waiting requests. */
export type SupervisorToPipelineMessage = { type: 'demand'; waiting: number };
