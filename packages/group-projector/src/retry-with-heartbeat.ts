import { type RetryOptions, retryWithJitter } from '@shopfloor/kafka';
import type { Logger } from 'pino';

/** The consumer group heartbeat of the member applying a group (kafkajs throttles it itself). */
export type Heartbeat = () => Promise<void>;

/** Ten retries, 0.2 s doubling up to 5 s: about 35 s of a ClickHouse or broker outage. */
export const PROJECTOR_RETRY: RetryOptions = { retries: 10, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Retries `work` with backoff and jitter, and heartbeats before every retry: kafkajs 2.2.4 sends
 * heartbeats from its fetch loop only, which waits for the batch being applied, so without this a
 * write retried for longer than the session timeout would get the member thrown out of the group.
 * A failed heartbeat (a rebalance began) is logged and the write goes on: if the member lost its
 * partitions, the offset commit fails and the group is applied again by its token, which ClickHouse
 * deduplicates.
 */
export function createRetryWithHeartbeat(log: Logger, options: RetryOptions = PROJECTOR_RETRY) {
  return function retryWithHeartbeat<T>(
    what: string,
    work: () => Promise<T>,
    heartbeat: Heartbeat,
  ): Promise<T> {
    return retryWithJitter(
      async (attempt) => {
        if (attempt > 0) await heartbeatOrLog(heartbeat, log);
        return work();
      },
      {
        ...options,
        // ClickHouse errors are not Kafka errors: every failure of a write is worth a retry here.
        isRetriable: () => true,
        onRetry: ({ attempt, delayMs, error }) =>
          log.warn({ attempt, delayMs, err: (error as Error).message }, `${what} failed; retrying`),
      },
    );
  };
}

export type RetryWithHeartbeat = ReturnType<typeof createRetryWithHeartbeat>;

export async function heartbeatOrLog(heartbeat: Heartbeat, log: Logger): Promise<void> {
  try {
    await heartbeat();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'heartbeat failed while applying a group');
  }
}

/**
 * One write of a group being applied (an insert, a publish, the offset commit): retried while the
 * group heartbeat goes on, then a heartbeat, since a group's writes together may outlast the
 * session timeout.
 */
export function groupWriteStep(retry: RetryWithHeartbeat, heartbeat: Heartbeat, log: Logger) {
  return async function writeStep<T>(what: string, work: () => Promise<T>): Promise<T> {
    const result = await retry(what, work, heartbeat);
    await heartbeatOrLog(heartbeat, log);
    return result;
  };
}

/**
 * A group's independent writes side by side (its tables, one dedup token each: the order inside a
 * recorded group is free): waits for every write, then fails with the first failure, so no write is
 * left running behind a throw and the group's retry starts from a quiet engine.
 */
export async function allWritten(writes: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
