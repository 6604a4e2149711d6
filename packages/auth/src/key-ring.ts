import { createHash, timingSafeEqual } from 'node:crypto';
import { parseToken, secretMatches } from './api-key.ts';
import type { ApiKeyRole, FactoryScope, KeyCreated, KeyEvent } from './key-events.ts';

/** Who a request is, once its key checked out. */
export interface Principal {
  keyId: string;
  role: ApiKeyRole;
  factories: FactoryScope;
}

/**
 * The keys as of the key log so far: a fold of its events (latest per keyId wins, as after
 * compaction). Every service keeps one, fed by following the topic, so a revocation applies within
 * the follower's poll interval.
 */
export class KeyRing {
  private readonly keys = new Map<string, KeyCreated>();
  /**
   * SHA-256 of each secret that already passed scrypt: scrypt costs tens of ms of CPU by design, too
   * much per request, so a key is checked with scrypt once and then against this digest (still in
   * constant time). Dropped with the key when it is revoked or re-created.
   */
  private readonly verified = new Map<string, Buffer>();

  apply(event: KeyEvent): void {
    this.verified.delete(event.keyId);
    if (event.type === 'created') this.keys.set(event.keyId, event);
    else this.keys.delete(event.keyId);
  }

  /** The key's principal, or null for a malformed, unknown, revoked or wrong key. */
  async authenticate(token: string): Promise<Principal | null> {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const key = this.keys.get(parsed.keyId);
    if (!key) return null;
    const digest = createHash('sha256').update(parsed.secret).digest();
    const known = this.verified.get(key.keyId);
    if (known) {
      if (!timingSafeEqual(known, digest)) return null;
    } else {
      if (!(await secretMatches(parsed.secret, key))) return null;
      // The key may have been revoked while scrypt ran.
      if (this.keys.get(key.keyId) !== key) return null;
      this.verified.set(key.keyId, digest);
    }
    return { keyId: key.keyId, role: key.role, factories: key.factories };
  }

  /** Whether a live key has this id. */
  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** The live keys, without their hashes. */
  list(): { keyId: string; role: ApiKeyRole; factories: FactoryScope; label?: string; createdAt: string }[] {
    return [...this.keys.values()].map((k) => ({
      keyId: k.keyId,
      role: k.role,
      factories: k.factories,
      ...(k.label ? { label: k.label } : {}),
      createdAt: k.at,
    }));
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Whether a principal may touch a factory's data. */
export function inScope(principal: Principal, factoryId: string): boolean {
  return principal.factories === '*' || principal.factories.includes(factoryId);
}

/** What each role may do: machine posts events; reader reads stats and batch status; operator all. */
export type Access = 'write-events' | 'read-stats' | 'operate';
const ALLOWED: Record<ApiKeyRole, readonly Access[]> = {
  machine: ['write-events'],
  reader: ['read-stats'],
  operator: ['write-events', 'read-stats', 'operate'],
};
export function roleAllows(role: ApiKeyRole, access: Access): boolean {
  return ALLOWED[role].includes(access);
}
