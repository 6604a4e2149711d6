import { randomBytes, scrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseToken } from './api-key.ts';
import { type AuthMode, authModeFor } from './auth-rule.ts';
import { KeyRing } from './key-ring.ts';

const scryptAsync = promisify(scrypt) as (s: string, salt: Buffer, n: number, o: object) => Promise<Buffer>;

/** The bootstrap key from the environment or its file; undefined when neither is set. */
export function readBootstrapKey(env: { key?: string; file?: string }): string | undefined {
  if (env.key) return env.key;
  if (env.file) return readFileSync(env.file, 'utf8').trim();
  return undefined;
}

/**
 * The keys a process starts with: under the loopback rule (see `authModeFor`), either auth off, or
 * a ring holding the bootstrap operator key (hashed at once; the token is not kept).
 */
export async function startupKeys(
  host: string,
  env: { key?: string; file?: string },
): Promise<{ mode: AuthMode; keys: KeyRing | undefined }> {
  const token = readBootstrapKey(env);
  const mode = authModeFor(host, token !== undefined, false);
  if (!mode.enabled) return { mode, keys: undefined };
  const parsed = parseToken(token!);
  if (!parsed) throw new Error('The bootstrap key is not of the form sfk_<16 hex>_<43 base64url>.');
  const salt = randomBytes(16);
  const hash = await scryptAsync(parsed.secret, salt, 32, {
    N: 16_384,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  });
  const keys = new KeyRing();
  keys.apply({
    type: 'created',
    keyId: parsed.keyId,
    role: 'operator',
    factories: '*',
    label: 'bootstrap',
    salt: salt.toString('hex'),
    hash: hash.toString('hex'),
    at: new Date().toISOString(),
  });
  return { mode, keys };
}
