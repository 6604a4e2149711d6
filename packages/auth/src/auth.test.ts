import { describe, expect, test, vi } from 'vitest';
import { issueKey, parseToken, secretMatches } from './api-key.ts';
import { authModeFor } from './auth-rule.ts';
import { createKey, type KeyLog, listKeys, revokeKey } from './key-admin.ts';
import { type KeyEvent, keyEventSchema } from './key-events.ts';
import { inScope, KeyRing, roleAllows } from './key-ring.ts';

function memoryLog(): KeyLog & { events: KeyEvent[] } {
  const events: KeyEvent[] = [];
  return {
    events,
    append: async (e) => {
      events.push(keyEventSchema.parse(e));
    },
    readAll: async () => [...events],
  };
}

// scrypt is deliberately slow; a loaded machine must not time these out.
vi.setConfig({ testTimeout: 30_000 });
describe('API keys', () => {
  test('a key is stored as a salted scrypt hash and checks out only with its own secret', async () => {
    const a = await issueKey();
    const b = await issueKey();
    expect(a.token).toMatch(/^sfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(a.salt).not.toBe(b.salt);
    const pa = parseToken(a.token)!;
    expect(a.hash).not.toContain(pa.secret);
    expect(await secretMatches(pa.secret, a)).toBe(true);
    expect(await secretMatches(parseToken(b.token)!.secret, a)).toBe(false);
    expect(parseToken('Bearer nonsense')).toBeNull();
  });

  test('create prints the token once, the log holds no token; list and revoke go through the log', async () => {
    const log = memoryLog();
    const created = await createKey(log, { role: 'machine', factories: ['F-1'], label: 'vendor A' });
    expect(JSON.stringify(log.events)).not.toContain(parseToken(created.token)!.secret);
    await createKey(log, { role: 'reader', factories: '*' });
    expect((await listKeys(log)).map((k) => k.role).sort()).toEqual(['machine', 'reader']);
    expect(await revokeKey(log, created.keyId)).toBe(true);
    expect(await revokeKey(log, created.keyId)).toBe(false);
    expect((await listKeys(log)).map((k) => k.role)).toEqual(['reader']);

    const ring = new KeyRing();
    for (const e of log.events.slice(0, 2)) ring.apply(e);
    expect(await ring.authenticate(created.token)).toEqual({
      keyId: created.keyId,
      role: 'machine',
      factories: ['F-1'],
    });
    ring.apply(log.events[2]!);
    expect(await ring.authenticate(created.token)).toBeNull();
  });

  test('roles and factory scopes', () => {
    expect(roleAllows('machine', 'write-events')).toBe(true);
    expect(roleAllows('machine', 'read-stats')).toBe(false);
    expect(roleAllows('reader', 'read-stats')).toBe(true);
    expect(roleAllows('reader', 'write-events')).toBe(false);
    expect(roleAllows('operator', 'operate')).toBe(true);
    const p = { keyId: '0'.repeat(16), role: 'reader' as const, factories: ['F-1', 'F-2'] };
    expect(inScope(p, 'F-2')).toBe(true);
    expect(inScope(p, 'F-3')).toBe(false);
    expect(inScope({ ...p, factories: '*' }, 'F-3')).toBe(true);
  });

  test('the rule: auth off only on loopback without keys; any other address requires a bootstrap key', () => {
    expect(authModeFor('127.0.0.1', false, false)).toMatchObject({ enabled: false });
    expect(authModeFor('::1', false, false)).toMatchObject({ enabled: false });
    expect(authModeFor('127.0.0.1', true, false)).toEqual({ enabled: true });
    expect(() => authModeFor('0.0.0.0', false, false)).toThrow(/API keys are required/);
    expect(() => authModeFor('10.1.2.3', false, false)).toThrow(/SHOPFLOOR_BOOTSTRAP_KEY/);
    expect(authModeFor('0.0.0.0', true, false)).toEqual({ enabled: true });
  });
});
