import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N=2^14, r=8, p=1 (OWASP's floor), 32-byte hash. */
const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const TOKEN = /^sfk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A key as the client holds it (`sfk_<keyId>_<secret>`); shown once, never stored. */
export interface IssuedKey {
  keyId: string;
  token: string;
  /** What is stored: the salt and the scrypt hash of the secret, both hex. */
  salt: string;
  hash: string;
}

function scryptHex(secret: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) =>
    scrypt(secret, Buffer.from(salt, 'hex'), HASH_BYTES, SCRYPT, (err, key) =>
      err ? reject(err) : resolve(key.toString('hex')),
    ),
  );
}

/** A new random key: 16 hex of id (public, names the key in logs and lists), 256 bits of secret. */
export async function issueKey(): Promise<IssuedKey> {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { keyId, token: `sfk_${keyId}_${secret}`, salt, hash: await scryptHex(secret, salt) };
}

/** Splits a presented token; null when it is not of our shape (then there is nothing to look up). */
export function parseToken(token: string): { keyId: string; secret: string } | null {
  const m = TOKEN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : null;
}

/** Whether `secret` hashes to the stored hash, compared in constant time. */
export async function secretMatches(
  secret: string,
  stored: { salt: string; hash: string },
): Promise<boolean> {
  const presented = Buffer.from(await scryptHex(secret, stored.salt), 'hex');
  const expected = Buffer.from(stored.hash, 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
