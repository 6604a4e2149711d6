import { classifyKafkaError } from '@shopfloor/kafka';
import type { TransactionFailure } from './commit-partition-batch-step.ts';

/**
 * What the runner does after a failed dedupe transaction:
 * - `retry`: the same transaction again, after a backoff (the batch stays decided as it was);
 * - `restore-and-refetch`: restore the partition's state, then fetch and decide the batch again;
 * - `stop`: stop the consumer with a clear log, since no retry can succeed.
 */
export type FailureResponse = 'retry' | 'restore-and-refetch' | 'stop';

export function respondToTransactionFailure(
  failure: Pick<TransactionFailure, 'phase' | 'error'>,
): FailureResponse {
  switch (classifyKafkaError(failure.error)) {
    case 'fatal':
      return 'stop';
    // Another member took the partition's transactional id, so it may have written state since.
    case 'fenced':
      return 'restore-and-refetch';
    // The group moved to a new generation (KIP-447 fenced the offset commit): the transaction is
    // aborted, and the partitions may since be another member's.
    case 'stale-member':
      return 'restore-and-refetch';
    case 'transient':
      // Before the commit request nothing of the transaction can have landed. After it, the
      // outcome is unknown: the restore reads what did land, and the batch is decided against it.
      return failure.phase === 'send' ? 'retry' : 'restore-and-refetch';
  }
}
