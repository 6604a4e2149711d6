import {
  describeGroup,
  existingTopics,
  fetchCommittedOffsets,
  fetchLogRanges,
  fetchOffsetsForTime,
  setCommittedOffsets,
} from '@shopfloor/kafka';
import type { CliContext } from './cli-context.ts';
import { CliError } from './output.ts';
import { streamLayouts } from './streams.ts';

export type ReplayTarget =
  | { kind: 'offset'; offset: bigint }
  | { kind: 'time'; timestampMs: number }
  | { kind: 'earliest' }
  | { kind: 'latest' };

export type ReplayMove = { topic: string; partition: number; from: string | null; to: string };

export type ReplayPlan = { group: string; executed: boolean; moves: ReplayMove[] };

/** The topics a group reads, when the operator does not name one: Shopfloor's own groups, every stream's. */
function topicsOf(ctx: CliContext, group: string): string[] {
  for (const s of streamLayouts(ctx.config))
    for (const g of [s.processor, ...s.projectors]) if (g.group === group) return g.topics;
  throw new CliError(`${group} is not a Shopfloor group: name the topic it reads with --topic`);
}

/**
 * Moves a consumer group's committed offsets to an offset, a time, the earliest or the latest
 * record of each partition. Dry-run unless `execute`: returns what would move (from -> to). The
 * group must have no active member (the broker would refuse, and a running member would overwrite
 * the move with its next commit).
 */
export async function replayGroup(
  ctx: CliContext,
  input: { group: string; target: ReplayTarget; topic?: string; execute: boolean },
): Promise<ReplayPlan> {
  const group = await describeGroup(ctx.kafka, input.group);
  if (group.members > 0)
    throw new CliError(
      `group ${input.group} has ${group.members} active member(s) (state ${group.state}); stop its consumers first, then replay`,
    );
  const topics = input.topic ? [input.topic] : topicsOf(ctx, input.group);
  const present = await existingTopics(ctx.kafka, topics);
  const missing = topics.filter((t) => !present.has(t));
  if (missing.length > 0) throw new CliError(`no such topic: ${missing.join(', ')}`);
  const moves: ReplayMove[] = [];
  for (const topic of topics) {
    const ranges = await fetchLogRanges(ctx.kafka, topic);
    const committed = await fetchCommittedOffsets(ctx.kafka, input.group, [topic]);
    const byTime =
      input.target.kind === 'time'
        ? await fetchOffsetsForTime(ctx.kafka, topic, input.target.timestampMs)
        : [];
    for (const r of ranges) {
      const t = input.target;
      let to: bigint;
      if (t.kind === 'earliest') to = r.start;
      else if (t.kind === 'latest') to = r.end;
      else if (t.kind === 'time') to = byTime.find((o) => o.partition === r.partition)?.offset ?? r.end;
      else to = t.offset < r.start ? r.start : t.offset > r.end ? r.end : t.offset;
      const from = committed.find((c) => c.partition === r.partition)?.offset;
      moves.push({ topic, partition: r.partition, from: from?.toString() ?? null, to: to.toString() });
    }
  }
  if (input.execute) {
    for (const topic of topics) {
      const partitions = moves
        .filter((m) => m.topic === topic)
        .map((m) => ({ partition: m.partition, offset: BigInt(m.to) }));
      await setCommittedOffsets(ctx.kafka, input.group, topic, partitions);
    }
  }
  return { group: input.group, executed: input.execute, moves };
}

/** Parses the one target option given; exactly one is required. */
export function parseReplayTarget(o: {
  toOffset?: string;
  toTime?: string;
  toEarliest?: boolean;
  toLatest?: boolean;
}): ReplayTarget {
  const given = [o.toOffset !== undefined, o.toTime !== undefined, !!o.toEarliest, !!o.toLatest].filter(
    Boolean,
  );
  if (given.length !== 1)
    throw new CliError('give exactly one of --to-offset N, --to-time ISO, --to-earliest, --to-latest');
  if (o.toOffset !== undefined) {
    if (!/^\d+$/.test(o.toOffset))
      throw new CliError(`--to-offset must be a whole number, got ${o.toOffset}`);
    return { kind: 'offset', offset: BigInt(o.toOffset) };
  }
  if (o.toTime !== undefined) {
    const ms = Date.parse(o.toTime);
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(o.toTime) || Number.isNaN(ms))
      throw new CliError(`--to-time must be an ISO-8601 instant with a zone, got ${o.toTime}`);
    return { kind: 'time', timestampMs: ms };
  }
  return o.toEarliest ? { kind: 'earliest' } : { kind: 'latest' };
}
