import type { SensorAlertPosition } from '@shopfloor/clickhouse';
import { pageCursor } from '@shopfloor/http-kit';

// The cursor of `GET /api/alerts/history` holds a versioned position (raisedAt ms, alertId) of the
// last alert of the page; its content may change with its version.

const VERSION = 1;

export const alertCursor = pageCursor<SensorAlertPosition>({
  toKey: (position) => [VERSION, position.raisedAtMs, position.alertId],
  fromKey(key) {
    if (key.length !== 3) return null;
    const [version, raisedAtMs, alertId] = key;
    if (version !== VERSION || !Number.isSafeInteger(raisedAtMs) || typeof alertId !== 'string') return null;
    if (alertId.length === 0 || (raisedAtMs as number) < 0) return null;
    return { raisedAtMs: raisedAtMs as number, alertId };
  },
});
