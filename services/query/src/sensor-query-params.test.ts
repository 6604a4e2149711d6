import { describe, expect, test } from 'vitest';
import { alertCursor } from './alert-cursor.ts';
import {
  alertHistoryQuerySchema,
  criticalAlertsQuerySchema,
  equipmentListQuerySchema,
  equipmentParamsSchema,
  productionQuerySchema,
  sensorHistoryQuerySchema,
} from './sensor-query-params.ts';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? '' : (r.error?.issues.map((i) => i.message).join('; ') ?? '');

const t = (iso: string) => Date.parse(iso);

describe('equipmentListQuerySchema', () => {
  test('status is optional and one of OK, WARNING, CRITICAL', () => {
    expect(equipmentListQuerySchema.parse({})).toEqual({});
    expect(equipmentListQuerySchema.parse({ status: ['WARNING', 'OK'] })).toEqual({ status: 'WARNING' });
    expect(messages(equipmentListQuerySchema.safeParse({ status: 'ok' }))).toBe(
      'status must be one of OK, WARNING, CRITICAL (got "ok")',
    );
  });
});

test('the equipment id of the path follows the id rule', () => {
  expect(equipmentParamsSchema.parse({ id: 'EQ-1' })).toEqual({ id: 'EQ-1' });
  expect(messages(equipmentParamsSchema.safeParse({ id: 'x'.repeat(129) }))).toMatch(
    /equipment id must be 1-128 characters/,
  );
});

describe('sensorHistoryQuerySchema', () => {
  const q = { sensorType: 'pressure', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00+01:00' };

  test('bucket defaults to 1h and maps to its minutes; the window is epoch ms', () => {
    expect(sensorHistoryQuerySchema.parse(q)).toEqual({
      sensorType: 'pressure',
      fromMs: t('2026-03-01T00:00:00Z'),
      toMs: t('2026-03-01T23:00:00Z'),
      bucket: '1h',
      bucketMinutes: 60,
    });
    expect(sensorHistoryQuerySchema.parse({ ...q, bucket: '1d' })).toMatchObject({ bucketMinutes: 1440 });
    expect(sensorHistoryQuerySchema.parse({ ...q, bucket: '15m' })).toMatchObject({ bucketMinutes: 15 });
  });

  test.each([
    [{ ...q, bucket: '2m' }, 'bucket must be one of 1m, 5m, 15m, 30m, 1h, 6h, 1d (got "2m")'],
    [{ ...q, sensorType: 'humidity' }, /sensorType must be one of temperature, vibration, pressure, voltage/],
    [{ from: q.from, to: q.to }, 'sensorType is required'],
    [{ ...q, to: '2026-03-01' }, /to must be an ISO-8601 instant with a zone/],
    [{ ...q, to: '2026-02-28T00:00:00Z' }, 'to must not be before from'],
  ])('%j is refused: %s', (query, message) => {
    const r = sensorHistoryQuerySchema.safeParse(query);
    expect(r.success).toBe(false);
    expect(messages(r)).toMatch(message);
  });

  test('at most 10 000 buckets: a week of 1m buckets is refused, of 5m accepted', () => {
    const week = { ...q, to: '2026-03-08T00:00:00Z' };
    expect(messages(sensorHistoryQuerySchema.safeParse({ ...week, bucket: '1m' }))).toBe(
      'the window holds 10080 buckets of 1m, at most 10000: use a larger bucket or a shorter window',
    );
    expect(sensorHistoryQuerySchema.safeParse({ ...week, bucket: '5m' }).success).toBe(true);
  });
});

describe('productionQuerySchema', () => {
  test('from and to are required, ordered, at most 31 days apart', () => {
    expect(productionQuerySchema.parse({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })).toEqual(
      {
        fromMs: t('2026-03-01T00:00:00Z'),
        toMs: t('2026-04-01T00:00:00Z'),
      },
    );
    expect(
      messages(
        productionQuerySchema.safeParse({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00.001Z' }),
      ),
    ).toBe('the window from..to must be at most 31 days');
    expect(messages(productionQuerySchema.safeParse({}))).toBe('from is required; to is required');
  });
});

describe('alertHistoryQuerySchema', () => {
  test('every filter is optional; limit defaults to 50', () => {
    expect(alertHistoryQuerySchema.parse({})).toEqual({ limit: 50 });
  });

  test('filters, window and cursor are parsed; the cursor becomes its position', () => {
    const cursor = alertCursor.encode({ raisedAtMs: 1_772_359_200_000, alertId: 'a-9' });
    expect(
      alertHistoryQuerySchema.parse({
        equipmentId: 'EQ-1',
        severity: 'MEDIUM',
        status: 'OPEN',
        from: '2026-03-01T00:00:00Z',
        to: '2026-03-02T00:00:00Z',
        cursor,
        limit: '500',
      }),
    ).toEqual({
      equipmentId: 'EQ-1',
      severity: 'MEDIUM',
      status: 'OPEN',
      fromMs: t('2026-03-01T00:00:00Z'),
      toMs: t('2026-03-02T00:00:00Z'),
      after: { raisedAtMs: 1_772_359_200_000, alertId: 'a-9' },
      limit: 500,
    });
  });

  test.each([
    [{ limit: '0' }, 'limit must be a whole number from 1 to 500 (got "0")'],
    [{ limit: '501' }, 'limit must be a whole number from 1 to 500 (got "501")'],
    [{ limit: '10.5' }, 'limit must be a whole number from 1 to 500 (got "10.5")'],
    [{ severity: 'HIGH' }, 'severity must be one of LOW, MEDIUM, CRITICAL (got "HIGH")'],
    [{ status: 'open' }, 'status must be one of OPEN, RESOLVED (got "open")'],
    [
      { cursor: 'not-a-cursor' },
      'cursor is not one this API gave out: pass the nextCursor of the previous page as is',
    ],
    [{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'to must not be before from'],
    [{ equipmentId: '' }, /equipmentId must be 1-128 characters/],
  ])('%j is refused: %s', (query, message) => {
    expect(messages(alertHistoryQuerySchema.safeParse(query))).toMatch(message);
  });
});

test('criticalAlertsQuerySchema: limit 1-1000, default 100', () => {
  expect(criticalAlertsQuerySchema.parse({})).toEqual({ limit: 100 });
  expect(criticalAlertsQuerySchema.parse({ equipmentId: 'EQ-1', limit: '1000' })).toEqual({
    equipmentId: 'EQ-1',
    limit: 1000,
  });
  expect(criticalAlertsQuerySchema.safeParse({ limit: '1001' }).success).toBe(false);
});
