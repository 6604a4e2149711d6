import type { OutcomeRecord } from '@shopfloor/contracts';

/** What the pipeline process tells the start command's supervisor. */
export type PipelineProcessMessage =
  | { type: 'ready'; url: string; brokers: string[]; registryUrl: string }
  | { type: 'outcomes'; records: OutcomeRecord[] };
