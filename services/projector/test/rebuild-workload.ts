import type { ChangeRecord, ChangeRow, DeadLetterRecord } from '@shopfloor/contracts';

// A seeded-free, deterministic workload of what the dedupe consumers write: accepted events,
// exact duplicates (a change record without rows), corrections that move an event to another
// machine, line and hour (a retraction and the new version), and rejected events. The ground truth
// is the winner of every event after the whole workload.

export const T0 = Date.parse('2026-03-01T10:00:00Z');

type Winner = Omit<ChangeRow, 'sign'>;

export type Workload = {
  changes: { key: string; record: ChangeRecord }[];
  deadLetters: DeadLetterRecord[];
  winners: Map<string, Winner>;
};

const first = (i: number): Winner => ({
  eventId: `E-${i}`,
  eventTimeMs: T0 + i * 7_001,
  machineId: `M-${i % 5}`,
  lineId: `L-${i % 3}`,
  factoryId: `F-${i % 2}`,
  durationMs: 100 + i,
  defectCount: i % 10 === 9 ? -1 : i % 4,
  receivedAt: T0 + i,
  version: 1,
});

const corrected = (w: Winner): Winner => ({
  ...w,
  eventTimeMs: w.eventTimeMs + 3_600_000,
  machineId: `M-${(Number(w.machineId.slice(2)) + 1) % 5}`,
  lineId: `L-${(Number(w.lineId.slice(2)) + 1) % 3}`,
  defectCount: w.defectCount + 2,
  receivedAt: w.receivedAt + 500_000,
  version: 2,
});

const changeOf = (
  batchId: string,
  decision: ChangeRecord['decision'],
  eventId: string,
  rows: ChangeRow[],
) => ({
  key: eventId,
  record: { v: 1 as const, batchId, seq: 0, batchSize: 1, eventId, decision, rows },
});

/** Events [from, to): each accepted, every 8th duplicated, every 10th corrected; every 20th rejected. */
export function workload(from: number, to: number, winners = new Map<string, Winner>()): Workload {
  const changes: Workload['changes'] = [];
  const deadLetters: DeadLetterRecord[] = [];
  for (let i = from; i < to; i++) {
    const w = first(i);
    winners.set(w.eventId, w);
    changes.push(changeOf(`b-${i}`, 'accepted', w.eventId, [{ sign: 1, ...w }]));
  }
  for (let i = from; i < to; i += 8) changes.push(changeOf(`d-${i}`, 'deduped', `E-${i}`, []));
  for (let i = from + 3; i < to; i += 10) {
    const old = winners.get(`E-${i}`)!;
    const next = corrected(old);
    winners.set(next.eventId, next);
    changes.push(
      changeOf(`c-${i}`, 'updated', next.eventId, [
        { sign: -1, ...old },
        { sign: 1, ...next },
      ]),
    );
  }
  for (let i = from; i < to; i += 20)
    deadLetters.push({
      v: 1,
      batchId: `r-${i}`,
      seq: 0,
      batchSize: 1,
      receivedAt: T0 + i,
      eventId: `X-${i}`,
      reason: 'INVALID_DURATION',
      message: 'durationMs is negative',
      payload: { eventId: `X-${i}`, durationMs: -i },
      payloadJson: JSON.stringify({ eventId: `X-${i}`, durationMs: -i }),
    });
  return { changes, deadLetters, winners };
}

const minute = (ms: number) => Math.floor(ms / 60_000) * 60;

/** The ground truth of the rollups and the winners, as the snapshot below shapes them. */
export function truthOf(winners: ReadonlyMap<string, Winner>, rejected: number) {
  const machine = new Map<string, [number, number]>();
  const line = new Map<string, [number, number]>();
  const add = (m: Map<string, [number, number]>, key: string, defects: number) => {
    const [n, d] = m.get(key) ?? [0, 0];
    m.set(key, [n + 1, d + Math.max(0, defects)]);
  };
  for (const w of winners.values()) {
    add(machine, `${w.machineId}|${minute(w.eventTimeMs)}`, w.defectCount);
    add(line, `${w.factoryId}|${w.lineId}|${minute(w.eventTimeMs)}`, w.defectCount);
  }
  const flat = (m: Map<string, [number, number]>) => [...m].map(([k, [n, d]]) => `${k}|${n}|${d}`).sort();
  return {
    events: [...winners.values()]
      .map((w) => `${w.eventId}|${w.machineId}|${w.eventTimeMs}|${w.defectCount}|${w.version}`)
      .sort(),
    machineMinutes: flat(machine),
    lineMinutes: flat(line),
    rejected,
  };
}
