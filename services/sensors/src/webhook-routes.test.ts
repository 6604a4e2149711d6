import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { createHttpApp, HttpError, OutcomeTracker } from '@shopfloor/http-kit';
import { describe, expect, test } from 'vitest';
import type { ReadingIntake } from './reading-intake.ts';
import { webhookRoutes } from './webhook-routes.ts';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const reading = (id: string) => ({
  readingId: id,
  equipmentId: 'EQ-1',
  sensorType: 'vibration',
  value: 2.5,
  timestamp: '2026-03-01T09:59:00Z',
});

/**
 * The webhook with a fake sink standing in for Kafka + processor + projector: `decide` says what
 * the projector reports for each accepted reading (or nothing, for a timeout).
 */
async function webhook(options: {
  decide?: (intake: ReadingIntake) => ('accepted' | 'deduped')[] | null;
  fail?: boolean;
  rows?: Record<string, unknown>[];
  /** Kafka acknowledges only once this settles (a slow broker). */
  ack?: Promise<void>;
  maxInflightReadings?: number;
  stateHorizonMs?: number;
}) {
  const outcomes = new OutcomeTracker();
  const published: ReadingIntake[] = [];
  const reader: ClickHouseReader = { mode: 'embedded', query: async () => options.rows ?? [] };
  const app = createHttpApp();
  await app.register(webhookRoutes, {
    maxReadings: 5,
    syncTimeoutMs: 300,
    maxInflightReadings: options.maxInflightReadings,
    stateHorizonMs: options.stateHorizonMs,
    outcomes,
    reader,
    now: () => t0,
    sink: {
      async publish(intake) {
        if (options.fail) throw new HttpError('KAFKA_UNAVAILABLE');
        published.push(intake);
        await options.ack;
        const decisions = options.decide?.(intake);
        if (!decisions) return;
        setTimeout(() =>
          outcomes.ingest({
            v: 1,
            batchId: intake.batchId,
            batchSize: intake.raw.length,
            decisions: intake.raw.map((r, i) => ({
              seq: r.seq,
              decision: decisions[i] ?? 'accepted',
              eventId: r.reading.readingId,
            })),
          }),
        );
      },
    },
  });
  const post = (body: unknown, query = '', headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/webhook/sensor-data${query}`, payload: body as object, headers });
  return { app, post, published, outcomes };
}

describe('POST /api/webhook/sensor-data', () => {
  test('with a state horizon, a reading older than it is rejected as STALE_TIMESTAMP (on sensor.dlq)', async () => {
    const { post, published } = await webhook({ decide: () => ['accepted'], stateHorizonMs: 3_600_000 });
    const stale = { ...reading('R-old'), timestamp: '2026-03-01T08:59:59.999Z' }; // 1 h + 1 ms before t0
    const r = await post({ readings: [reading('R-1'), stale] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      accepted: 1,
      rejected: 1,
      rejections: [{ index: 1, readingId: 'R-old', reason: 'STALE_TIMESTAMP' }],
    });
    expect(published[0]?.rejected.map((d) => d.reason)).toEqual(['STALE_TIMESTAMP']);
  });

  test('default mode: 200 once the readings are decided, with counts and the rejections by index', async () => {
    const { post, published } = await webhook({ decide: () => ['accepted', 'deduped'] });
    const r = await post({ readings: [reading('R-1'), reading('R-1'), { ...reading('R-3'), value: '1' }] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      jobId: published[0]?.batchId,
      readings: 3,
      accepted: 1,
      deduped: 1,
      rejected: 1,
      rejections: [{ index: 2, readingId: 'R-3', reason: 'INVALID_TYPE' }],
    });
    // Rejected readings go to the log too (sensor.dlq), with their place in the request.
    expect(published[0]?.rejected).toEqual([expect.objectContaining({ seq: 2, batchSize: 3 })]);
  });

  test('nothing valid: answered at once, nothing to wait for', async () => {
    const { post } = await webhook({});
    const r = await post({ readings: [{}] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 0, deduped: 0, rejected: 1 });
  });

  test('?mode=async and Prefer: respond-async answer 202 with the status URL', async () => {
    const { post } = await webhook({});
    for (const r of [
      await post({ readings: [reading('R-1')] }, '?mode=async'),
      await post({ readings: [reading('R-1')] }, '', { prefer: 'respond-async' }),
    ]) {
      expect(r.statusCode).toBe(202);
      const body = r.json();
      expect(body).toMatchObject({ status: 'pending', readings: 1, rejected: 0 });
      expect(body.statusUrl).toBe(`/api/webhook/status/${body.jobId}`);
      expect(r.headers.location).toBe(body.statusUrl);
    }
  });

  test('no outcome within the sync timeout: 202 instead of hanging', async () => {
    const { post, outcomes } = await webhook({ decide: () => null });
    const r = await post({ readings: [reading('R-1')] });
    expect(r.statusCode).toBe(202);
    expect(outcomes.pending).toBe(0);
  });

  test('Kafka down: 503 with Retry-After; a body of the wrong shape or too many readings: 400 / 413', async () => {
    const down = await (await webhook({ fail: true })).post({ readings: [reading('R-1')] });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    const { post } = await webhook({});
    expect((await post([reading('R-1')])).json()).toMatchObject({ code: 'INVALID_BODY' });
    const tooMany = await post({ readings: Array.from({ length: 6 }, (_, i) => reading(`R-${i}`)) });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ code: 'TOO_MANY_EVENTS', message: expect.stringContaining('6') });
  });
});

describe('load shedding past maxInflightReadings', () => {
  test('a post that would hold too many readings is 503 OVERLOADED with Retry-After 1, nothing of it appended', async () => {
    let acknowledge!: () => void;
    const ack = new Promise<void>((resolve) => {
      acknowledge = resolve;
    });
    const { post, published, outcomes } = await webhook({ ack, maxInflightReadings: 3 });
    // Two readings wait for a slow Kafka (async: held until acknowledged).
    const slow = post({ readings: [reading('R-1'), reading('R-2')] }, '?mode=async');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published).toHaveLength(1);
    const shed = await post({ readings: [reading('R-3'), reading('R-4')] });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.json()).toMatchObject({ code: 'OVERLOADED' });
    expect(published).toHaveLength(1);
    expect(outcomes.pending).toBe(0);
    acknowledge();
    expect((await slow).statusCode).toBe(202);
    // Released once acknowledged: the same post now passes.
    expect((await post({ readings: [reading('R-3'), reading('R-4')] }, '?mode=async')).statusCode).toBe(202);
    expect(published).toHaveLength(2);
  });

  test('sync mode holds the readings until they are decided (the processor falling behind sheds too)', async () => {
    const { post, published } = await webhook({ decide: () => null, maxInflightReadings: 2 });
    // Acknowledged at once but never decided: held for the sync timeout (300 ms), then 202.
    const waiting = post({ readings: [reading('R-1'), reading('R-2')] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const shed = await post({ readings: [reading('R-3')] });
    expect(shed.statusCode).toBe(503);
    expect(shed.json()).toMatchObject({ code: 'OVERLOADED' });
    expect((await waiting).statusCode).toBe(202);
    expect((await post({ readings: [reading('R-3')] }, '?mode=async')).statusCode).toBe(202);
    expect(published).toHaveLength(2);
  });
});

describe('GET /api/webhook/status/:jobId', () => {
  test('a complete job from the recorded outcome; nothing recorded yet is pending', async () => {
    const row = {
      batchSize: 3,
      recorded: 3,
      accepted: 1,
      deduped: 1,
      rejected: 1,
      rejections: [[2, 'R-3', 'INVALID_TYPE']],
    };
    const { app } = await webhook({ rows: [row] });
    const r = await app.inject({ method: 'GET', url: '/api/webhook/status/job-1' });
    expect(r.json()).toEqual({
      jobId: 'job-1',
      status: 'complete',
      readings: 3,
      recorded: 3,
      accepted: 1,
      deduped: 1,
      rejected: 1,
      rejections: [{ index: 2, readingId: 'R-3', reason: 'INVALID_TYPE' }],
    });
    const none = await (
      await webhook({
        rows: [{ ...row, recorded: 0, batchSize: 0, accepted: 0, deduped: 0, rejected: 0, rejections: [] }],
      })
    ).app.inject({
      method: 'GET',
      url: '/api/webhook/status/job-2',
    });
    expect(none.json()).toMatchObject({ status: 'pending', readings: null, recorded: 0 });
  });
});
