import { describe, expect, test } from 'vitest';
import {
  dropRecords,
  lostBlocks,
  parseDedupLog,
  partBlocks,
  reportDedupRepairs,
} from './dedup-log-repair.ts';

const add = (partName: string, blockId: string) => ({ op: 'add' as const, partName, blockId });
const drop = (partName: string, blockId: string) => ({ op: 'drop' as const, partName, blockId });

describe('parseDedupLog', () => {
  test('ADD and DROP records, in file order', () => {
    expect(parseDedupLog('1\tall_1_1_0\tall_1_2\n2\tall_1_1_0\tall_1_2\n1\tall_2_2_0\tall_3_4\n')).toEqual([
      add('all_1_1_0', 'all_1_2'),
      drop('all_1_1_0', 'all_1_2'),
      add('all_2_2_0', 'all_3_4'),
    ]);
    expect(parseDedupLog('')).toEqual([]);
  });

  test('a last record cut short by the kill is not read, as the engine does not read it', () => {
    expect(parseDedupLog('1\tall_1_1_0\tall_1_2\n1\tall_2_2')).toEqual([add('all_1_1_0', 'all_1_2')]);
  });

  test('a record kind or a line it does not know: undefined, so the table is left alone', () => {
    expect(parseDedupLog('3\tall_1_1_0\tall_1_2\n')).toBeUndefined();
    expect(parseDedupLog('1\tall_1_1_0\n')).toBeUndefined();
    expect(parseDedupLog('1\tall_1_1_0\tall_1_2\textra\n')).toBeUndefined();
    expect(parseDedupLog('\n')).toBeUndefined();
  });
});

describe('partBlocks', () => {
  test('partition, min and max block of a part, with or without a mutation version', () => {
    expect(partBlocks('all_3_3_0')).toEqual({ partitionId: 'all', minBlock: 3n, maxBlock: 3n });
    expect(partBlocks('202612_1_40_2_41')).toEqual({ partitionId: '202612', minBlock: 1n, maxBlock: 40n });
  });

  test('anything else in a table directory is not a part', () => {
    for (const name of [
      'tmp_insert_all_3_3_0',
      'detached',
      'deduplication_logs',
      'format_version.txt',
      'all_1_1',
    ]) {
      expect(partBlocks(name)).toBeUndefined();
    }
  });
});

describe('lostBlocks', () => {
  test('a recorded block whose part is on disk is kept', () => {
    expect(lostBlocks([add('all_1_1_0', 'a'), add('all_2_2_0', 'b')], ['all_1_1_0', 'all_2_2_0'])).toEqual(
      [],
    );
  });

  test('a recorded block whose part never reached its name is lost', () => {
    expect(
      lostBlocks([add('all_1_1_0', 'a'), add('all_2_2_0', 'b')], ['all_1_1_0', 'tmp_insert_all_2_2_0']),
    ).toEqual([add('all_2_2_0', 'b')]);
  });

  test('a part merged or mutated into a covering part is held by it', () => {
    const records = [add('all_1_1_0', 'a'), add('all_2_2_0', 'b'), add('all_3_3_0', 'c')];
    expect(lostBlocks(records, ['all_1_2_1', 'all_3_3_0_4'])).toEqual([]);
    expect(lostBlocks(records, ['all_1_2_1'])).toEqual([add('all_3_3_0', 'c')]);
  });

  test('only a part of the same partition holds it', () => {
    expect(lostBlocks([add('202611_5_5_0', 'a')], ['202612_1_9_1'])).toEqual([add('202611_5_5_0', 'a')]);
  });

  test('a block the log already dropped is not the engine’s any more; re-added, it counts again', () => {
    expect(lostBlocks([add('all_1_1_0', 'a'), drop('all_1_1_0', 'a')], [])).toEqual([]);
    // The repair's own DROP, then the retry's ADD under the reused block number: on disk, kept.
    expect(
      lostBlocks([add('all_1_1_0', 'a'), drop('all_1_1_0', 'a'), add('all_1_1_0', 'a')], ['all_1_1_0']),
    ).toEqual([]);
  });

  test('a part name it cannot read is left alone', () => {
    expect(lostBlocks([add('odd-name', 'a')], [])).toEqual([]);
  });
});

test('dropRecords writes the engine’s DROP lines', () => {
  expect(dropRecords([add('all_2_2_0', 'b'), add('all_3_3_0', 'c')])).toBe(
    '2\tall_2_2_0\tb\n2\tall_3_3_0\tc\n',
  );
  expect(parseDedupLog(dropRecords([add('all_2_2_0', 'b')]))).toEqual([drop('all_2_2_0', 'b')]);
});

test('reportDedupRepairs warns once per repaired table, and not at all without repairs', () => {
  const warnings: [Record<string, unknown>, string][] = [];
  const warn = (fields: Record<string, unknown>, message: string) => warnings.push([fields, message]);
  reportDedupRepairs([], warn);
  expect(warnings).toEqual([]);
  reportDedupRepairs([{ tableDir: '/d/store/abc/t', forgotten: [add('all_7_7_0', 'x')] }], warn);
  expect(warnings).toEqual([
    [{ tableDir: '/d/store/abc/t', forgotten: ['all_7_7_0'] }, expect.stringContaining('crash lost')],
  ]);
});
