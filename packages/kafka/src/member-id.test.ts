import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMemberId } from './member-id.ts';
import { tsxChild } from './testing.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'member-id-'));
  dirs.push(dir);
  return dir;
};

describe('loadMemberId', () => {
  it('makes an id once and gives the same one at every later start', () => {
    const dir = path.join(tempDir(), 'state', 'instance');
    const first = loadMemberId(dir);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(loadMemberId(dir)).toBe(first);
    expect(readFileSync(path.join(dir, 'member-id'), 'utf8').trim()).toBe(first);
  });

  it('gives two state directories two ids', () => {
    expect(loadMemberId(tempDir())).not.toBe(loadMemberId(tempDir()));
  });

  it('replaces a damaged file with a new id', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'member-id'), 'not an id!\n');
    const id = loadMemberId(dir);
    expect(id).not.toBe('not an id!');
    expect(loadMemberId(dir)).toBe(id);
  });
});

describe('loadMemberId, several processes starting at once', () => {
  it('gives every process that starts on an empty directory at the same moment the same id', async () => {
    // Processes of their own (a consumer and a projector sharing a data dir), each round released at
    // one wall-clock instant, so that their file calls race.
    const dirs = Array.from({ length: 20 }, () => path.join(tempDir(), 'state'));
    const startAt = Date.now() + 3_000;
    const starters = Array.from({ length: 4 }, () => {
      const ids: string[] = [];
      const child = tsxChild('packages/kafka/src/member-id.starter.ts', [String(startAt), ...dirs], (line) =>
        ids.push(line),
      );
      children.push(child);
      return new Promise<string[]>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) =>
          code === 0 ? resolve(ids) : reject(new Error(`starter exited ${code}`)),
        );
      });
    });
    const answers = await Promise.all(starters);
    for (const [round, dir] of dirs.entries()) {
      const ids = new Set(answers.map((ids) => ids[round]));
      expect(ids.size, `round ${round}: ${[...ids].join(' ')}`).toBe(1);
      expect(readFileSync(path.join(dir, 'member-id'), 'utf8').trim()).toBe(answers[0]?.[round]);
      expect(readdirSync(dir)).toEqual(['member-id']);
    }
  }, 30_000);
});
