import type { KeyEvent } from '@shopfloor/auth';
import { KEY_ROLES, type KeyChangeRecord } from '@shopfloor/contracts';

/** A key change as written to the key topic (the salted hash, never the key). */
export function keyChangeRecordOf(event: KeyEvent): KeyChangeRecord {
  const none = { role: null, factories: null, label: null, salt: null, hash: null };
  if (event.type === 'revoked')
    return {
      keyId: event.keyId,
      change: 'revoked',
      ...none,
      createdAt: null,
      revokedAt: Date.parse(event.at),
    };
  return {
    keyId: event.keyId,
    change: 'created',
    role: event.role,
    factories: event.factories === '*' ? null : [...event.factories],
    label: event.label ?? null,
    salt: event.salt,
    hash: event.hash,
    createdAt: Date.parse(event.at),
    revokedAt: null,
  };
}

/**
 * The key change of a record, or null when it cannot grant anything (a created key without role,
 * salt or hash, or a role this version does not know): such a record is ignored, never guessed.
 */
export function keyEventOf(record: KeyChangeRecord): KeyEvent | null {
  const at = (ms: number | null) => new Date(ms ?? 0).toISOString();
  if (record.change === 'revoked') return { type: 'revoked', keyId: record.keyId, at: at(record.revokedAt) };
  const { role, salt, hash } = record;
  if (role === null || !KEY_ROLES.includes(role) || !salt || !hash) return null;
  return {
    type: 'created',
    keyId: record.keyId,
    role,
    factories: record.factories === null ? '*' : record.factories,
    ...(record.label === null ? {} : { label: record.label }),
    salt,
    hash,
    at: at(record.createdAt),
  };
}
