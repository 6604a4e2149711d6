// CPU per event of the pipeline's non-Kafka hot path, one stage at a time, in one process (issue 10,
// lever 5): `tsx bench/micro/hot-path-cpu.ts [rounds]`. CPU is process.cpuUsage() (user + system,
// every thread: the embedded engine's included), so the other load of the machine moves it less
// than wall time. A before/after of a change runs this on both commits, interleaved (bench/README,
// "Lever 5"). Only APIs that existed before the change are used, so both sides run the same script.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type BatchEventRow,
  type ClickHouseWriter,
  type EventChangeRow,
  insertBatchEvents,
  insertEventChanges,
  migrate,
  openClickHouse,
} from '@shopfloor/clickhouse';
import {
  type AvroRecordKind,
  type ChangeRecord,
  changeRecordFor,
  decide,
  loadAvroSchema,
  type OutcomeRecord,
  type RawEventRecord,
  receivedEventOf,
  stateRecordFor,
  validateEvent,
  winnerAfter,
} from '@shopfloor/contracts';
import { intakeBatch } from '@shopfloor/gateway';
import { fixedSchemaCodec } from '@shopfloor/schema-registry';
import { outcomeFromAvro, outcomeToAvro } from '../../packages/schema-registry/src/record-mappings.ts';
import { batchJson, fleet } from '../src/event-batches.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const BATCH = 1000;
const BATCHES_PER_ROUND = 20;
const INSERT_BATCHES = 5;

const codec = <T>(kind: AvroRecordKind, mapping: Parameters<typeof fixedSchemaCodec<T>>[2] = {}) =>
  fixedSchemaCodec<T>(loadAvroSchema(kind), 1, mapping);
const raw = codec<RawEventRecord>('raw');
const state = codec<unknown>('state');
const changes = codec<{ v: 1; changes: readonly ChangeRecord[] }>('changes');
const outcomes = codec<OutcomeRecord>('outcomes', { toAvro: outcomeToAvro, fromAvro: outcomeFromAvro });

const now = Date.now();
const f = fleet('hot');
const bodies = Array.from({ length: BATCHES_PER_ROUND }, (_, b) => batchJson(f, 'e', b * BATCH, BATCH, now));
const parsed = bodies.map((text) => JSON.parse(text) as unknown[]);
const intakes = parsed.map((events, b) => intakeBatch(`batch-${b}`, events, now, bodies[b]));
const rawBytes = intakes.map((i) => i.raw.map((r) => raw.encode(r)));
const decided = intakes.map((i) =>
  i.raw.map((r) => {
    const d = decide(undefined, receivedEventOf(r));
    return { record: r, decision: d, change: changeRecordFor(r, d) };
  }),
);
const changeBatches = decided.map((d) => changes.encode({ v: 1, changes: d.map((x) => x.change) }));
const outcomeOf = (b: number): OutcomeRecord => ({
  v: 1,
  batchId: `batch-${b}`,
  batchSize: BATCH,
  decisions: decided[b]!.map((x, seq) => ({
    seq,
    decision: 'accepted' as const,
    eventId: x.record.event.eventId,
  })),
});
const changeRows: EventChangeRow[][] = decided.map((d) => d.flatMap((x) => x.change.rows));
const batchRows: BatchEventRow[][] = decided.map((d, b) =>
  d.map((x, seq) => ({
    batchId: `batch-${b}`,
    seq,
    batchSize: BATCH,
    eventId: x.record.event.eventId,
    decision: 'accepted',
    reason: '',
    recordedAt: now,
  })),
);

const dataDir = mkdtempSync(path.join(tmpdir(), 'hot-path-'));
const ch = await openClickHouse({ dataDir });
await migrate(ch.writer);
let token = 0;
const sink: unknown[] = [];
/** A writer that only builds the body the engine would receive, as @clickhouse/client and client.ts do. */
const bodyWriter: ClickHouseWriter = {
  mode: 'embedded',
  query: async () => [],
  command: async () => {},
  insert: async (request) => {
    sink[2] =
      typeof request.values === 'string'
        ? Buffer.from(request.values).toString('utf8')
        : request.values.map((row) => `${JSON.stringify(row)}\n`).join('');
  },
};

/** A stage: work over the round's batches; returns how many events it handled. */
type Stage = { name: string; run: () => Promise<number> | number };
const stages: Stage[] = [
  {
    name: 'gateway: JSON.parse + intakeBatch (validate, stamp)',
    run: () => {
      for (const [b, text] of bodies.entries()) sink[0] = intakeBatch(`b${b}`, JSON.parse(text), now, text);
      return bodies.length * BATCH;
    },
  },
  {
    name: 'gateway: validateEvent alone',
    run: () => {
      for (const events of parsed) for (const e of events) sink[0] = validateEvent(e, now);
      return parsed.length * BATCH;
    },
  },
  {
    name: 'gateway: raw record encode',
    run: () => {
      for (const i of intakes) for (const r of i.raw) sink[0] = raw.encode(r);
      return intakes.length * BATCH;
    },
  },
  {
    name: 'dedupe: raw decode + receivedEventOf',
    run: async () => {
      for (const batch of rawBytes) {
        const decoded = await Promise.all(batch.map((bytes) => raw.decode(bytes)));
        for (const d of decoded) if (d.ok) sink[0] = receivedEventOf(d.value);
      }
      return rawBytes.length * BATCH;
    },
  },
  {
    name: 'dedupe: state + change batch encode',
    run: () => {
      for (const d of decided) {
        for (const x of d) sink[0] = state.encode(stateRecordFor(winnerAfter(x.decision)));
        sink[1] = changes.encode({ v: 1, changes: d.map((x) => x.change) });
      }
      return decided.length * BATCH;
    },
  },
  {
    name: 'projector: change batch decode + outcome encode',
    run: async () => {
      for (const [b, bytes] of changeBatches.entries()) {
        sink[0] = await changes.decode(bytes);
        sink[1] = outcomes.encode(outcomeOf(b));
      }
      return changeBatches.length * BATCH;
    },
  },
  {
    // What the main thread spends on the insert bodies: the rows as the projector passes them,
    // turned into the text the engine receives (@clickhouse/client JSON.stringifies each row of a
    // JSON format; a TabSeparated body is already text and goes through client.ts as bytes).
    name: 'projector: rows -> insert bodies (JS only, no engine)',
    run: async () => {
      for (const [b, rows] of changeRows.entries()) {
        await insertEventChanges(bodyWriter, rows, { dedupToken: 'x', validate: false });
        await insertBatchEvents(bodyWriter, batchRows[b]!, { dedupToken: 'x', validate: false });
      }
      return changeRows.length * BATCH;
    },
  },
  {
    name: 'projector: insert event_changes + batch_events (engine CPU included)',
    run: async () => {
      // 5 000 rows per insert, as the projector's ranges hold at 1000-event batches (1 700-6 100).
      for (let b = 0; b < changeRows.length; b += INSERT_BATCHES) {
        token++;
        const rows = changeRows.slice(b, b + INSERT_BATCHES).flat();
        await insertEventChanges(ch.writer, rows, { dedupToken: `c${token}`, validate: false });
        const outcomes = batchRows.slice(b, b + INSERT_BATCHES).flat();
        await insertBatchEvents(ch.writer, outcomes, { dedupToken: `b${token}`, validate: false });
      }
      return changeRows.length * BATCH;
    },
  },
];

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const perEvent = new Map<string, number[]>();
try {
  for (const s of stages) await s.run(); // warm-up: JIT, engine parts
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of stages) {
      const before = cpuUs();
      const events = await s.run();
      const us = (cpuUs() - before) / events;
      perEvent.set(s.name, [...(perEvent.get(s.name) ?? []), us]);
    }
  }
} finally {
  await ch.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
console.log(`hot path CPU per event, ${ROUNDS} rounds of ${BATCHES_PER_ROUND} x ${BATCH} events`);
let total = 0;
for (const [name, xs] of perEvent) {
  total += median(xs);
  console.log(
    `${median(xs).toFixed(2).padStart(7)} us  ${name}  (rounds: ${xs.map((x) => x.toFixed(2)).join(' ')})`,
  );
}
console.log(`${total.toFixed(2).padStart(7)} us  sum of medians (validateEvent alone counted twice)`);
