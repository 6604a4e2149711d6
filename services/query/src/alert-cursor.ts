import type { SensorAlertPosition } from '@shopfloor/clickhouse';

// The cursor of `GET /api/alerts/history` is opaque to clients: base64url of a versioned JSON
// array holding the position (raisedAt ms, alertId) of the last alert of the page. Clients pass it
// back as is; its content may change with its version.

const VERSION = 1;

export function encodeAlertCursor(position: SensorAlertPosition): string {
  return Buffer.from(JSON.stringify([VERSION, position.raisedAtMs, position.alertId])).toString('base64url');
}

/** The position a cursor holds, or null when it is not one `encodeAlertCursor` made. */
export function decodeAlertCursor(cursor: string): SensorAlertPosition | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [version, raisedAtMs, alertId] = parsed as unknown[];
  if (version !== VERSION || !Number.isSafeInteger(raisedAtMs) || typeof alertId !== 'string') return null;
  if (alertId.length === 0 || (raisedAtMs as number) < 0) return null;
  return { raisedAtMs: raisedAtMs as number, alertId };
}
