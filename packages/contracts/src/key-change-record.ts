// ---- shopfloor.keys (key: keyId; compacted) -----------------------------------------------------

/** What an API key may do (see @shopfloor/auth): machine posts events, reader reads, operator all. */
export const KEY_ROLES = ['machine', 'reader', 'operator'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/**
 * One change of one API key, the value of the compacted key topic (keyed by keyId, so compaction
 * keeps each key's latest change). It holds the salt and the scrypt hash of the key's secret, never
 * the key. Created: role, scope, salt, hash and createdAt are set; revoked: revokedAt is set.
 */
export type KeyChangeRecord = {
  keyId: string;
  change: 'created' | 'revoked';
  role: KeyRole | null;
  /** The factoryIds the key may write or read; null on a created key: every factory. */
  factories: string[] | null;
  label: string | null;
  /** Hex of the random salt and of the scrypt hash of the secret. */
  salt: string | null;
  hash: string | null;
  /** Epoch ms. */
  createdAt: number | null;
  revokedAt: number | null;
};
