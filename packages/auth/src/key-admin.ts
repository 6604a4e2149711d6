import { issueKey } from './api-key.ts';
import type { ApiKeyRole, FactoryScope, KeyEvent } from './key-events.ts';
import { KeyRing } from './key-ring.ts';

/** Where key changes are appended and read back from (the compacted key topic; in tests, an array). */
export interface KeyLog {
  append(event: KeyEvent): Promise<void>;
  readAll(): Promise<KeyEvent[]>;
}

/** Creates a key and returns its token: the only time it is ever visible. Only the hash is logged. */
export async function createKey(
  log: KeyLog,
  spec: { role: ApiKeyRole; factories: FactoryScope; label?: string },
  now: () => Date = () => new Date(),
): Promise<{ keyId: string; token: string }> {
  const key = await issueKey();
  await log.append({
    type: 'created',
    keyId: key.keyId,
    role: spec.role,
    factories: spec.factories,
    ...(spec.label ? { label: spec.label } : {}),
    salt: key.salt,
    hash: key.hash,
    at: now().toISOString(),
  });
  return { keyId: key.keyId, token: key.token };
}

/** The live keys (ids, roles, scopes; never hashes). */
export async function listKeys(log: KeyLog): Promise<ReturnType<KeyRing['list']>> {
  const ring = new KeyRing();
  for (const event of await log.readAll()) ring.apply(event);
  return ring.list();
}

/** Revokes a key; false when no live key has that id. */
export async function revokeKey(
  log: KeyLog,
  keyId: string,
  now: () => Date = () => new Date(),
): Promise<boolean> {
  const live = await listKeys(log);
  if (!live.some((k) => k.keyId === keyId)) return false;
  await log.append({ type: 'revoked', keyId, at: now().toISOString() });
  return true;
}
