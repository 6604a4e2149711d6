import { setTimeout as sleep } from 'node:timers/promises';
import { retryWithJitter } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type PartitionBatchToCommit, TransactionFailure } from './commit-partition-batch-step.ts';
import type { PartitionBatch } from './partition-batch-handler.ts';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

/** What one partition batch brings to its fetch's transaction. */
export type FetchEntry = { batch: PartitionBatch; toCommit: PartitionBatchToCommit };

/** A batch's share of a committed transaction. */
export type CommittedShare = { checkpoint: string | undefined; transactionMs: number; batches: number };

/** Commits the entries in one transaction; resolves to each entry's state checkpoint, in order. */
export type CommitEntries = (entries: readonly FetchEntry[]) => Promise<(string | undefined)[]>;

/** A batch's place in the fetch under way: `join` with its output, or `leave` without any. */
export interface FetchTicket {
  join(toCommit: PartitionBatchToCommit): Promise<CommittedShare>;
  leave(): void;
}

export interface FetchTransactionsDeps {
  name: string;
  commit: CommitEntries;
  log: Logger;
  /** Transient transaction failures retried in place before the batches are fetched again. Default 5. */
  transactionRetries?: number | undefined;
  /** Each failed transaction attempt, by phase (metrics). */
  onTransactionFailed?: ((phase: TransactionFailure['phase']) => void) | undefined;
}

type Waiting = { entry: FetchEntry; resolve(share: CommittedShare): void; reject(error: unknown): void };

/**
 * One transaction per fetch (KIP-447). kafkajs hands the batches of one fetch to eachBatch
 * concurrently, one call per partition, and fetches again only once all of them returned. Each
 * batch `enter`s when it starts and `join`s with its output after its step (or `leave`s); when no
 * entered batch is still working, the joined ones are committed in one transaction, and each learns
 * the outcome. The check waits a macrotask (setImmediate), so the batches kafkajs starts in the same
 * tick have all entered. A transient failure is retried in place (the same transaction, again)
 * while every batch is still this member's; any other failure rejects every batch with it.
 */
export function createFetchTransactions(deps: FetchTransactionsDeps) {
  const { log, name } = deps;
  let working = 0;
  let waiting: Waiting[] = [];
  let checkScheduled = false;

  function commitWithRetries(entries: readonly FetchEntry[]) {
    const first = entries[0]!.batch;
    return retryWithJitter(() => deps.commit(entries), {
      retries: deps.transactionRetries ?? 5,
      initialDelayMs: 100,
      maxDelayMs: 5_000,
      isRetriable: (error) =>
        error instanceof TransactionFailure &&
        respondToTransactionFailure(error) === 'retry' &&
        entries.every((e) => e.batch.isActive()),
      onRetry: ({ attempt, delayMs, error }) => {
        if (error instanceof TransactionFailure) deps.onTransactionFailed?.(error.phase);
        log.warn(
          { partitions: entries.map((e) => e.batch.partition), attempt, delayMs, err: error },
          `${name} transaction failed; retrying it`,
        );
      },
      sleep: async (ms) => {
        await sleep(ms);
        await first.heartbeat();
      },
    });
  }

  async function commitJoined(batch: Waiting[]): Promise<void> {
    const startedAt = performance.now();
    try {
      const checkpoints = await commitWithRetries(batch.map((w) => w.entry));
      const transactionMs = performance.now() - startedAt;
      batch.forEach((w, i) => {
        w.resolve({ checkpoint: checkpoints[i], transactionMs, batches: batch.length });
      });
    } catch (error) {
      if (error instanceof TransactionFailure) deps.onTransactionFailed?.(error.phase);
      for (const w of batch) w.reject(error);
    }
  }

  function scheduleCheck(): void {
    if (checkScheduled) return;
    checkScheduled = true;
    setImmediate(() => {
      checkScheduled = false;
      if (working > 0 || waiting.length === 0) return;
      const joined = waiting;
      waiting = [];
      void commitJoined(joined);
    });
  }

  return {
    enter(batch: PartitionBatch): FetchTicket {
      working++;
      let done = false;
      const finish = () => {
        if (done) throw new Error(`partition ${batch.partition}: a fetch ticket is used once`);
        done = true;
        working--;
        scheduleCheck();
      };
      return {
        join(toCommit) {
          return new Promise<CommittedShare>((resolve, reject) => {
            waiting.push({ entry: { batch, toCommit }, resolve, reject });
            finish();
          });
        },
        leave: finish,
      };
    },
  };
}

export type FetchTransactions = ReturnType<typeof createFetchTransactions>;
