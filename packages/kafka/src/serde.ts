import type { DecodeResult } from '@shopfloor/contracts';

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a record value as UTF-8 JSON. Never throws: bad bytes are data (they go to a dead-letter
 * topic), not a crash. A null value (a tombstone) is reported as an error too; callers that expect
 * tombstones check for null first.
 */
export function decodeJson<T = unknown>(bytes: Buffer | Uint8Array | null | undefined): DecodeResult<T> {
  if (bytes == null) return { ok: false, error: 'value is null' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: 'value is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch (err) {
    return { ok: false, error: `value is not valid JSON: ${(err as Error).message}` };
  }
}
