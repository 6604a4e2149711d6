import type { OutcomeRecord } from '@shopfloor/contracts';

/** What the pipeline process tells the start command's supervisor. */
export type PipelineProcessMessage =
  | { type: 'ready'; url: string; brokers: string[]; registryUrl: string }
  | { type: 'outcomes'; records: OutcomeRecord[] };

/** What the supervisor tells the pipeline process: the gateway process's count of waiting requests. */
export type SupervisorToPipelineMessage = { type: 'demand'; waiting: number };
