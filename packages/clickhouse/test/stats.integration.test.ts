import { seededRandom } from '@shopfloor/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventChangeRow,
  insertEventChanges,
  queryMachineStats,
  queryTopDefectLines,
} from '../src/index.ts';
import {
  type EmbeddedClickHouse,
  queryMachineStatsFromFinal,
  queryTopDefectLinesFromFinal,
  startEmbeddedClickHouse,
} from '../src/testing/index.ts';

const MIN = 60_000;
const HOUR = 3_600_000;

let ch: EmbeddedClickHouse;

beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
});

afterAll(async () => {
  await ch?.stop();
});

type Winner = Omit<EventChangeRow, 'sign'>;

function plus(w: Winner): EventChangeRow {
  return { ...w, sign: 1 };
}
function minus(w: Winner): EventChangeRow {
  return { ...w, sign: -1 };
}

/** Ground truth from the winners held in memory. */
function truthMachine(winners: Iterable<Winner>, machineId: string, startMs: number, endMs: number) {
  let eventsCount = 0;
  let defectsCount = 0;
  for (const w of winners) {
    if (w.machineId !== machineId || w.eventTimeMs < startMs || w.eventTimeMs >= endMs) continue;
    eventsCount += 1;
    defectsCount += w.defectCount >= 0 ? w.defectCount : 0;
  }
  return { eventsCount, defectsCount };
}

function truthTopLines(
  winners: Iterable<Winner>,
  factoryId: string,
  fromMs: number,
  toMs: number,
  limit: number,
) {
  const lines = new Map<string, { lineId: string; totalDefects: number; eventCount: number }>();
  for (const w of winners) {
    if (w.factoryId !== factoryId || w.eventTimeMs < fromMs || w.eventTimeMs >= toMs) continue;
    const line = lines.get(w.lineId) ?? { lineId: w.lineId, totalDefects: 0, eventCount: 0 };
    line.eventCount += 1;
    line.totalDefects += w.defectCount >= 0 ? w.defectCount : 0;
    lines.set(w.lineId, line);
  }
  return [...lines.values()]
    .sort(
      (a, b) => b.totalDefects - a.totalDefects || (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0),
    )
    .slice(0, limit);
}

async function expectAllAgree(
  winners: Iterable<Winner>,
  machineId: string,
  factoryId: string,
  startMs: number,
  endMs: number,
  limit = 100,
) {
  const list = [...winners];
  const machineQuery = { machineId, startMs, endMs };
  const machine = await queryMachineStats(ch.reader, machineQuery);
  expect(machine, `machine ${machineId} [${startMs}, ${endMs})`).toEqual(
    truthMachine(list, machineId, startMs, endMs),
  );
  expect(await queryMachineStatsFromFinal(ch.reader, machineQuery)).toEqual(machine);
  const lineQuery = { factoryId, fromMs: startMs, toMs: endMs, limit };
  const lines = await queryTopDefectLines(ch.reader, lineQuery);
  expect(lines, `lines ${factoryId} [${startMs}, ${endMs})`).toEqual(
    truthTopLines(list, factoryId, startMs, endMs, limit),
  );
  expect(await queryTopDefectLinesFromFinal(ch.reader, lineQuery)).toEqual(lines);
}

describe('retraction', () => {
  it('moves an event to another machine, line and hour without double counting', async () => {
    const t = Date.UTC(2026, 1, 1, 8, 0, 0, 0);
    const v1: Winner = {
      eventId: 'retract-1',
      eventTimeMs: t + 10 * MIN + 123,
      machineId: 'RM-1',
      lineId: 'RL-1',
      factoryId: 'RF',
      durationMs: 100,
      defectCount: 5,
      receivedAt: t,
      version: 1,
    };
    const v2: Winner = {
      ...v1,
      eventTimeMs: t + HOUR + 30 * MIN + 999,
      machineId: 'RM-2',
      lineId: 'RL-2',
      defectCount: 3,
      receivedAt: t + 1,
      version: 2,
    };
    await insertEventChanges(ch.writer, [plus(v1)], { dedupToken: 'retract:0' });
    await expectAllAgree([v1], 'RM-1', 'RF', t, t + 3 * HOUR);
    await insertEventChanges(ch.writer, [minus(v1), plus(v2)], { dedupToken: 'retract:1' });
    // Replayed correction: no effect.
    await insertEventChanges(ch.writer, [minus(v1), plus(v2)], { dedupToken: 'retract:1' });
    for (const [start, end] of [
      [t, t + 3 * HOUR],
      [t + 10 * MIN + 123, t + 10 * MIN + 124],
      [v2.eventTimeMs, v2.eventTimeMs + 1],
      [v2.eventTimeMs - 1, v2.eventTimeMs],
      [t + HOUR, t + 2 * HOUR],
    ] as const) {
      await expectAllAgree([v2], 'RM-1', 'RF', start, end);
      await expectAllAgree([v2], 'RM-2', 'RF', start, end);
    }
    expect(
      await queryMachineStats(ch.reader, { machineId: 'RM-1', startMs: t, endMs: t + 3 * HOUR }),
    ).toEqual({
      eventsCount: 0,
      defectsCount: 0,
    });
    expect(
      await queryTopDefectLines(ch.reader, { factoryId: 'RF', fromMs: t, toMs: t + 3 * HOUR, limit: 10 }),
    ).toEqual([{ lineId: 'RL-2', totalDefects: 3, eventCount: 1 }]);
  });
});

describe('millisecond edges', () => {
  it('cuts windows at 10:00:00.000, 10:00:59.999 and 10:01:00.000 exactly', async () => {
    const ten = Date.UTC(2026, 2, 1, 10, 0, 0, 0);
    const times = [ten, ten + MIN - 1, ten + MIN];
    const winners: Winner[] = times.map((eventTimeMs, i) => ({
      eventId: `edge-${i}`,
      eventTimeMs,
      machineId: 'EM',
      lineId: `EL-${i % 2}`,
      factoryId: 'EF',
      durationMs: 1,
      defectCount: 10 ** i,
      receivedAt: ten,
      version: 1,
    }));
    winners.push({ ...winners[0]!, eventId: 'edge-unknown', defectCount: -1, lineId: 'EL-1' });
    await insertEventChanges(ch.writer, winners.map(plus), { dedupToken: 'edges' });
    const cuts = [ten - MIN, ten - 1, ten, ten + 1, ten + MIN - 1, ten + MIN, ten + MIN + 1, ten + 2 * MIN];
    for (const start of cuts) {
      for (const end of cuts) {
        if (end < start) continue;
        await expectAllAgree(winners, 'EM', 'EF', start, end);
      }
    }
    expect(await queryMachineStats(ch.reader, { machineId: 'EM', startMs: ten, endMs: ten + MIN })).toEqual({
      eventsCount: 3,
      defectsCount: 11,
    });
    expect(
      await queryMachineStats(ch.reader, { machineId: 'EM', startMs: ten + MIN - 1, endMs: ten + MIN }),
    ).toEqual({ eventsCount: 1, defectsCount: 10 });
  });
});

describe('randomized corrections', () => {
  it('rollup queries equal the FINAL oracle and the in-memory truth over many windows', async () => {
    const rand = seededRandom(20_260_101);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const base = Date.UTC(2026, 3, 1, 0, 0, 0, 0);
    const span = 6 * HOUR;
    const machines = ['M-a', 'M-b', 'M-c', 'M-d', 'M-e', 'M-f'];
    const factories = ['F-x', 'F-y'];
    const lines = ['L-1', 'L-2', 'L-3', 'L-4', 'L-5'];
    const randomWinner = (eventId: string, version: number): Winner => ({
      eventId,
      // Mostly arbitrary ms, sometimes exactly on a minute boundary or its last ms.
      eventTimeMs:
        base +
        (rand() < 0.2 ? Math.floor(rand() * 360) * MIN - (rand() < 0.5 ? 1 : 0) : Math.floor(rand() * span)),
      machineId: pick(machines),
      lineId: pick(lines),
      factoryId: pick(factories),
      durationMs: Math.floor(rand() * 10_000),
      defectCount: rand() < 0.1 ? -1 : Math.floor(rand() * 8),
      receivedAt: base + version,
      version,
    });

    const winners = new Map<string, Winner>();
    let nextId = 0;
    let batches = 0;
    for (let b = 0; b < 40; b++) {
      const changes: EventChangeRow[] = [];
      const touched = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const existing = [...winners.keys()];
        if (existing.length > 0 && rand() < 0.35) {
          const id = pick(existing);
          if (touched.has(id)) continue;
          touched.add(id);
          const previous = winners.get(id)!;
          const next = randomWinner(id, previous.version + 1);
          changes.push(minus(previous), plus(next));
          winners.set(id, next);
        } else {
          const id = `rnd-${nextId++}`;
          touched.add(id);
          const w = randomWinner(id, 1);
          changes.push(plus(w));
          winners.set(id, w);
        }
      }
      const token = `rnd:${b}`;
      await insertEventChanges(ch.writer, changes, { dedupToken: token });
      batches += 1;
      // Every fourth batch is replayed (a crash before the offset commit): must change nothing.
      if (b % 4 === 0) await insertEventChanges(ch.writer, changes, { dedupToken: token });
    }
    expect(batches).toBe(40);
    expect(winners.size).toBeGreaterThan(2_000);

    for (let i = 0; i < 150; i++) {
      const a = base - MIN + Math.floor(rand() * (span + 2 * MIN));
      const len = rand() < 0.3 ? Math.floor(rand() * 2 * MIN) : Math.floor(rand() * span);
      const start = rand() < 0.2 ? a - (a % MIN) : a;
      const end = rand() < 0.2 ? start + len - ((start + len) % MIN) : start + len;
      await expectAllAgree(
        winners.values(),
        pick(machines),
        pick(factories),
        start,
        end,
        1 + Math.floor(rand() * 6),
      );
    }
    await expectAllAgree(winners.values(), 'M-a', 'F-x', base - HOUR, base + span + HOUR);
  });
});
