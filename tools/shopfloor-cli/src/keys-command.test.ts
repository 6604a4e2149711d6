import type { KeyEvent } from '@shopfloor/auth';
import { KeyRing } from '@shopfloor/auth';
import { Command } from 'commander';
import { describe, expect, test, vi } from 'vitest';
import { addKeysCommand } from './keys-command.ts';

vi.setConfig({ testTimeout: 30_000 });

function program() {
  const events: KeyEvent[] = [];
  const lines: string[] = [];
  const log = { append: async (e: KeyEvent) => void events.push(e), readAll: async () => [...events] };
  const p = new Command('shopfloor').exitOverride();
  addKeysCommand(
    p,
    () => log,
    (s) => lines.push(s),
  );
  const run = (...args: string[]) => p.parseAsync(['node', 'shopfloor', ...args]);
  return { run, lines, events };
}

describe('shopfloor keys', () => {
  test('create prints a working key once; list shows it without secrets; revoke removes it', async () => {
    const { run, lines, events } = program();
    await run(
      'keys',
      'create',
      '--role',
      'machine',
      '--factory',
      'F-1',
      '--factory',
      'F-2',
      '--label',
      'vendor A',
    );
    const token = /sfk_\S+/.exec(lines[0]!)![0];
    const ring = new KeyRing();
    for (const e of events) ring.apply(e);
    expect(await ring.authenticate(token)).toMatchObject({ role: 'machine', factories: ['F-1', 'F-2'] });
    await run('keys', 'list');
    expect(lines[1]).toMatch(/machine\s+F-1,F-2\s+vendor A/);
    expect(lines.slice(1).join()).not.toContain(token);
    const keyId = events[0]!.keyId;
    await run('keys', 'revoke', keyId);
    await run('keys', 'list', '--json');
    expect(JSON.parse(lines.at(-1)!)).toEqual([]);
    await expect(run('keys', 'revoke', keyId)).rejects.toThrow(/no live key/);
  });

  test('create needs a role and a scope', async () => {
    const { run } = program();
    await expect(run('keys', 'create', '--role', 'machine')).rejects.toThrow(/--factory/);
    await expect(run('keys', 'create', '--role', 'admin', '--all-factories')).rejects.toThrow();
  });
});
