import { createHash } from 'node:crypto';
import { formatInstant } from '@shopfloor/contracts';
import type { MetricEvent } from './metric-event.ts';

/** The one ISO form a timestamp is kept and hashed in: UTC, three fraction digits, `Z`. */
export const canonicalTimestamp = (ms: number): string => formatInstant(ms);

/**
 * `|` separates the fields and `\` escapes, so no two different events share a canonical text
 * (`a|b` + `c` is not `a` + `b|c`). Ids without `|` or `\` (nearly all) are written as they are.
 */
const escapeField = (s: string): string => s.replace(/[\\|]/g, (c) => `\\${c}`);

/**
 * The canonical text of an event's identity: `client_id|metric|amount|timestamp`, the amount as a
 * plain decimal integer, the timestamp canonical. `source` and `simulateFailure` are not part of it:
 * the same measurement sent from elsewhere, or first with a simulated failure, is the same event.
 */
export function canonicalIdentityText(
  event: Pick<MetricEvent, 'clientId' | 'metric' | 'amount' | 'timestampMs'>,
): string {
  return [
    escapeField(event.clientId),
    escapeField(event.metric),
    BigInt(event.amount).toString(),
    canonicalTimestamp(event.timestampMs),
  ].join('|');
}

/** The event's id: SHA-256 of its canonical identity text (UTF-8), 64 lower-case hex digits. */
export function metricEventId(
  event: Pick<MetricEvent, 'clientId' | 'metric' | 'amount' | 'timestampMs'>,
): string {
  return createHash('sha256').update(canonicalIdentityText(event), 'utf8').digest('hex');
}

/** Whether a string has the shape of an id (the path and cursor parameters check it). */
export const isMetricEventId = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);
