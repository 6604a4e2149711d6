import {
  decide,
  type RawEventRecord,
  receivedEventOf,
  type StateRecord,
  stateRecordFor,
  stateToStore,
  type WinnerState,
  winnerOf,
} from '@shopfloor/contracts';
import type { StateWrite } from '@shopfloor/dedupe';
import {
  createIdempotentProducer,
  type KafkaClient,
  type RecordCodec,
  readPartitions,
} from '@shopfloor/kafka';
import { RESTORE_MARKER_KEY } from '@shopfloor/stream-runner';
import type { Logger } from 'pino';

/**
 * The winner of every eventId after deciding `records` (one partition of events.raw, in offset
 * order) from an empty state, with the dedupe processor's own rule. Pure.
 */
export function winnersFromRawLog(records: Iterable<RawEventRecord>): Map<string, WinnerState> {
  const winners = new Map<string, WinnerState>();
  for (const record of records) {
    const next = stateToStore(decide(winners.get(record.event.eventId), receivedEventOf(record)));
    if (next) winners.set(next.eventId, next);
  }
  return winners;
}

/** The changelog writes that turn state `current` into `wanted`: changed winners, and tombstones. Pure. */
export function stateDiff(
  current: ReadonlyMap<string, WinnerState>,
  wanted: ReadonlyMap<string, WinnerState>,
): StateWrite[] {
  const writes: StateWrite[] = [];
  for (const [id, w] of wanted) if (!sameWinner(current.get(id), w)) writes.push([id, w]);
  for (const id of current.keys()) if (!wanted.has(id)) writes.push([id, null]);
  return writes;
}

const sameWinner = (a: WinnerState | undefined, b: WinnerState) =>
  a !== undefined && JSON.stringify(stateRecordFor(a)) === JSON.stringify(stateRecordFor(b));

export type StateFromRawLogReport = {
  partition: number;
  /** events.raw records decided: [0, the dedupe group's committed offset). */
  rawRecords: number;
  winners: number;
  /** Winners written because the changelog held another (or none), and tombstones written. */
  puts: number;
  tombstones: number;
};

export type StateFromRawLogOptions = {
  topics: { raw: string; state: string };
  /** The dedupe consumer group: its committed offsets are the position the state stands for. */
  groupId: string;
  codecs: { raw: RecordCodec<RawEventRecord>; state: RecordCodec<StateRecord> };
  log: Logger;
};

/**
 * Rebuilds the dedupe state from the raw log: for every partition, decides events.raw from offset 0
 * up to the dedupe group's committed offset (what the state stands for), compares the winners with
 * the latest value of every key of events.state, and appends the difference to events.state
 * (winners and tombstones). Members then pick it up at their next restore (from their checkpoint, or
 * from 0 after a reset of their store). Offline: refused while the dedupe group has members, since
 * their decisions would race with these writes.
 */
export async function rebuildStateFromRawLog(
  kafka: KafkaClient,
  options: StateFromRawLogOptions,
): Promise<StateFromRawLogReport[]> {
  const { topics, groupId, codecs, log } = options;
  const admin = kafka.admin();
  await admin.connect();
  let partitions: number[];
  let committed: Map<number, bigint>;
  try {
    const { groups } = await admin.describeGroups([groupId]);
    if ((groups[0]?.members.length ?? 0) > 0)
      throw new Error(`the dedupe group ${groupId} has running members: stop every dedupe process first`);
    partitions = (await admin.fetchTopicOffsets(topics.raw)).map((o) => o.partition).sort((a, b) => a - b);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topics.raw] });
    committed = new Map((offsets[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await admin.disconnect();
  }

  const raw = new Map<number, RawEventRecord[]>(partitions.map((p) => [p, []]));
  const rawFrom = new Map(partitions.filter((p) => (committed.get(p) ?? -1n) > 0n).map((p) => [p, '0']));
  await readPartitions(kafka, {
    topic: topics.raw,
    from: rawFrom,
    allPartitions: partitions,
    isLast: (p, m) => BigInt(m.offset) >= committed.get(p)! - 1n,
    onMessages: async (p, messages) => {
      for (const m of messages) {
        if (BigInt(m.offset) >= committed.get(p)!) break;
        const decoded = await codecs.raw.decode(m.value);
        // The dedupe consumers park undecodable raw records; they never reached the state either.
        if (decoded.ok) raw.get(p)!.push(decoded.value);
      }
    },
  });

  const current = await readCurrentState(kafka, topics.state, partitions, codecs.state);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    const reports: StateFromRawLogReport[] = [];
    for (const partition of partitions) {
      const records = raw.get(partition)!;
      const wanted = winnersFromRawLog(records);
      const writes = stateDiff(current.get(partition) ?? new Map(), wanted);
      for (let i = 0; i < writes.length; i += 1_000)
        await producer.send({
          topic: topics.state,
          messages: writes.slice(i, i + 1_000).map(([key, w]) => ({
            key,
            partition,
            value: w === null ? null : codecs.state.encode(stateRecordFor(w)),
          })),
        });
      const tombstones = writes.filter(([, w]) => w === null).length;
      reports.push({
        partition,
        rawRecords: records.length,
        winners: wanted.size,
        puts: writes.length - tombstones,
        tombstones,
      });
    }
    log.info({ reports }, 'dedupe state rebuilt from the raw log');
    return reports;
  } finally {
    await producer.disconnect();
  }
}

/** The latest winner of every key of every partition of events.state, up to a marker written now. */
async function readCurrentState(
  kafka: KafkaClient,
  topic: string,
  partitions: readonly number[],
  codec: RecordCodec<StateRecord>,
): Promise<Map<number, Map<string, WinnerState>>> {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const partition of partitions) {
      const [meta] = await producer.send({
        topic,
        messages: [{ key: RESTORE_MARKER_KEY, value: 'state-rebuild', partition }],
      });
      ends.set(partition, BigInt(meta!.baseOffset!));
    }
  } finally {
    await producer.disconnect();
  }
  const state = new Map(partitions.map((p) => [p, new Map<string, WinnerState>()]));
  await readPartitions(kafka, {
    topic,
    from: new Map(partitions.map((p) => [p, '0'])),
    allPartitions: partitions,
    isLast: (p, m) => BigInt(m.offset) >= ends.get(p)!,
    onMessages: async (p, messages) => {
      const winners = state.get(p)!;
      for (const m of messages) {
        const key = m.key?.toString('utf8');
        if (!key || key === RESTORE_MARKER_KEY) continue;
        if (m.value === null) {
          winners.delete(key);
          continue;
        }
        const decoded = await codec.decode(m.value);
        if (!decoded.ok) throw new Error(`${topic}[${p}]@${m.offset}: ${decoded.error}`);
        winners.set(key, winnerOf(decoded.value));
      }
    },
  });
  return state;
}
