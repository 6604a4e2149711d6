import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawEventRecord } from '@shopfloor/contracts';
import { sampleRawRecord } from '@shopfloor/contracts/testing';
import { dedupeBatch, InMemoryStateStore } from '@shopfloor/dedupe';
import { describe, expect, it } from 'vitest';
import { stateDiff, winnersFromRawLog } from './state-from-raw-log.ts';
import { applyRequestedStateReset, requestStateReset } from './state-reset.ts';

const T = Date.parse('2026-03-01T10:00:00Z');
const raw = (i: number, id: string, defectCount: number, receivedAt: number): RawEventRecord =>
  sampleRawRecord({ batch: i, eventId: id, eventTimeMs: T + i, defectCount, receivedAt });

/** Accepted, duplicated, corrected, and a stale correction (older receivedAt). */
const rawLog = (): RawEventRecord[] => [
  raw(0, 'E-1', 1, T),
  raw(0, 'E-1', 1, T + 5),
  raw(1, 'E-2', 2, T + 1),
  raw(1, 'E-2', 3, T + 10),
  raw(1, 'E-2', 9, T + 2),
  raw(2, 'E-3', 0, T + 3),
];

describe('dedupe state from the raw log', () => {
  it('gives the very state the dedupe processor builds from the same records', () => {
    const store = new InMemoryStateStore(0);
    const records = rawLog();
    for (let i = 0; i < records.length; i += 2) dedupeBatch(store, records.slice(i, i + 2)).commit(String(i));
    const winners = winnersFromRawLog(records);
    expect(winners.size).toBe(3);
    for (const [id, w] of winners) expect(store.get(id)).toEqual(w);
    expect(winners.get('E-2')?.version).toBe(2);
  });

  it('diffs the current state against the wanted one: changed winners and tombstones', () => {
    const wanted = winnersFromRawLog(rawLog());
    const current = new Map(wanted);
    current.set('E-1', { ...wanted.get('E-1')!, defectCount: 7 });
    current.set('E-9', { ...wanted.get('E-1')!, eventId: 'E-9' });
    current.delete('E-3');
    const diff = stateDiff(current, wanted);
    expect(diff.map(([id, w]) => [id, w === null ? null : w.eventId]).sort()).toEqual([
      ['E-1', 'E-1'],
      ['E-3', 'E-3'],
      ['E-9', null],
    ]);
    expect(stateDiff(wanted, wanted)).toEqual([]);
  });
});

describe('a requested reset of the local state store', () => {
  it('deletes the store at the next start, after the raw-log rebuild when asked for, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shopfloor-state-reset-'));
    try {
      let rebuilt = 0;
      const fromRaw = async () => {
        rebuilt++;
      };
      await writeFile(join(dir, 'data.mdb'), 'x');
      expect(await applyRequestedStateReset(dir, fromRaw)).toBeUndefined();
      expect(await readdir(dir)).toEqual(['data.mdb']);

      await requestStateReset(dir, 'changelog');
      expect(await applyRequestedStateReset(dir, fromRaw)).toBe('changelog');
      expect(await readdir(dir)).toEqual([]);
      expect(rebuilt).toBe(0);

      await writeFile(join(dir, 'data.mdb'), 'x');
      await requestStateReset(dir, 'raw');
      expect(await applyRequestedStateReset(dir, fromRaw)).toBe('raw');
      expect(rebuilt).toBe(1);
      expect(await readdir(dir)).toEqual([]);
      expect(await applyRequestedStateReset(dir, fromRaw)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
