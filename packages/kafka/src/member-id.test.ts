import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMemberId } from './member-id.ts';

const dirs: string[] = [];
afterEach(() => {
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
