import type { PartitionRange } from '@shopfloor/kafka';

/** Where a derived store stands on one partition of a topic it was built from. */
export type DerivedPosition = {
  topic: string;
  partition: number;
  /** The next offset the store expects to read (everything before it is in the store). */
  next: bigint;
  /** The first offset the store still needs to read again (a group to re-form), if any. */
  needsFrom?: bigint;
};

export interface LogFacts {
  /** Current topic id per topic name (a missing topic has none). */
  topicIds: ReadonlyMap<string, string>;
  ranges: ReadonlyMap<string, readonly PartitionRange[]>;
}

export const RESET_DERIVED_COMMAND = 'pnpm shopfloor reset-derived --execute';

/**
 * What disagrees between a derived store (its recorded topic ids and positions) and the log it
 * was built from. Pure: the callers gather both sides. Empty when they agree.
 */
export function findLogMismatches(input: {
  store: string;
  recordedTopicIds: ReadonlyMap<string, string>;
  positions: readonly DerivedPosition[];
  log: LogFacts;
}): string[] {
  const out: string[] = [];
  for (const [topic, recorded] of input.recordedTopicIds) {
    const now = input.log.topicIds.get(topic);
    if (now === undefined) out.push(`${topic} does not exist, but ${input.store} was built from it`);
    else if (now !== recorded)
      out.push(
        `${topic} has topic id ${now}, but ${input.store} was built from topic id ${recorded} (the topic was re-created or the broker's data was lost)`,
      );
  }
  for (const p of input.positions) {
    const range = input.log.ranges.get(p.topic)?.find((r) => r.partition === p.partition);
    if (!range) {
      out.push(`${p.topic} has no partition ${p.partition}, but ${input.store} holds a position on it`);
      continue;
    }
    if (p.next > range.end)
      out.push(
        `${p.topic} partition ${p.partition}: ${input.store} is at offset ${p.next}, but the log ends at ${range.end}`,
      );
    else if (p.needsFrom !== undefined && p.needsFrom < range.start)
      out.push(
        `${p.topic} partition ${p.partition}: ${input.store} must re-read from offset ${p.needsFrom}, but the log starts at ${range.start}`,
      );
  }
  return out;
}

/** A service refuses to start: it names every mismatch and the command that fixes them. */
export class LogMismatchError extends Error {
  constructor(
    readonly service: string,
    readonly mismatches: readonly string[],
  ) {
    super(
      [
        `${service} refuses to start: the Kafka log and what was derived from it disagree:`,
        ...mismatches.map((m) => `  - ${m}`),
        'The derived stores (ClickHouse tables, dedupe state) belong to another log. Stop every Shopfloor',
        `process, run \`${RESET_DERIVED_COMMAND}\` (it empties them so they are rebuilt from this`,
        'log), then start again. If this is the wrong broker, point KAFKA_BROKERS at the right one instead.',
      ].join('\n'),
    );
    this.name = 'LogMismatchError';
  }
}

/** Runs every check and throws one LogMismatchError naming all mismatches of all of them. */
export async function checkAll(service: string, checks: readonly (() => Promise<void>)[]): Promise<void> {
  const mismatches: string[] = [];
  for (const check of checks) {
    try {
      await check();
    } catch (err) {
      if (!(err instanceof LogMismatchError)) throw err;
      mismatches.push(...err.mismatches);
    }
  }
  if (mismatches.length > 0) throw new LogMismatchError(service, mismatches);
}
