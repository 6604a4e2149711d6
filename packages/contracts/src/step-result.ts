/**
 * What a pipeline step did with one input, after PostHog's ingestion steps: `ok` carries the value
 * on to the next step; `drop` ends it on purpose (a duplicate, say) with the reason; `dlq` ends it
 * as bad data, to be parked with the reason by the bad-record policy. Bad data never throws: only a
 * failure of infrastructure (a broker, a database) does, and the runner retries or stops on it.
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'drop'; reason: string }
  | { kind: 'dlq'; reason: string };

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const drop = <T = never>(reason: string): StepResult<T> => ({ kind: 'drop', reason });
export const dlq = <T = never>(reason: string): StepResult<T> => ({ kind: 'dlq', reason });
