import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { decideMetricBatch, type MetricStateRecord } from '@shopfloor/metric-events';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricIntake } from './metric-intake.ts';
import { metricIntakeRoutes } from './metric-intake-routes.ts';
import { type MetricOutcomeNotice, OutcomeWaiters } from './outcome-waiters.ts';

// The routes with a small fake of the log: `publish` decides the events at once with the pure
// decision (what the processor and the projector do) and hands the outcomes to the waiters.
const event = (amount: number, over: Record<string, unknown> = {}) => ({
  client_id: 'c-1',
  payload: { metric: 'clicks', amount, timestamp: '2026-03-01T10:00:00Z' },
  ...over,
});

let app: HttpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(
  options: {
    allow?: boolean;
    publish?: (i: MetricIntake) => Promise<void>;
    syncTimeoutMs?: number;
    maxInflightEvents?: number;
  } = {},
) {
  const waiters = new OutcomeWaiters();
  const state = new Map<string, MetricStateRecord>();
  const published: MetricIntake[] = [];
  const pipeline = async (intake: MetricIntake) => {
    published.push(intake);
    const { decisions, stateWrites } = decideMetricBatch((id) => state.get(id), intake.raw);
    for (const [id, s] of stateWrites) state.set(id, s);
    const notices: MetricOutcomeNotice[] = decisions.map((d) =>
      d.kind === 'failed'
        ? {
            requestId: d.record.requestId,
            seq: d.record.seq,
            id: d.record.id,
            status: 'failed',
            reason: d.record.reason,
          }
        : {
            requestId: d.record.requestId,
            seq: d.record.seq,
            id: d.record.id,
            status: 'processed',
            duplicate: d.record.duplicate,
          },
    );
    for (const f of intake.rejected) {
      notices.push({ requestId: f.requestId, seq: f.seq, id: null, status: 'failed', reason: f.reason });
    }
    setTimeout(() => waiters.ingest(notices), 5);
  };
  app = createHttpApp({ openapi: false });
  await app.register(metricIntakeRoutes, {
    publish: options.publish ?? pipeline,
    waiters,
    allowSimulatedFailures: options.allow ?? true,
    maxBatchEvents: 3,
    syncTimeoutMs: options.syncTimeoutMs ?? 2_000,
    maxInflightEvents: options.maxInflightEvents,
  });
  return { app, published, waiters };
}

const post = (a: HttpApp, url: string, payload: unknown) =>
  a.inject({ method: 'POST', url, payload: payload as object });

describe('POST /events', () => {
  it('201 for a new event, 200 duplicate with the same id for an identical one', async () => {
    const { app } = await start();
    const first = await post(app, '/events', event(3));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ index: 0, status: 'processed', duplicate: false });
    const again = await post(app, '/events', event(3, { source: 'retry' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, status: 'processed', duplicate: true });
  });

  it('422 with the reason for an invalid event, which is still published to the failed topic', async () => {
    const { app, published } = await start();
    const res = await post(app, '/events', {
      client_id: 'c-1',
      payload: { metric: 'm', amount: '5', timestamp: '2026-03-01T10:00:00Z' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ id: null, status: 'rejected', reason: 'INVALID_TYPE' });
    expect(published[0]?.rejected).toHaveLength(1);
  });

  it('a simulated failure is 200 failed; the same event without the flag is then processed (201)', async () => {
    const { app } = await start();
    const failed = await post(app, '/events', event(9, { simulateFailure: true }));
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({ status: 'failed', reason: 'SIMULATED_FAILURE', duplicate: false });
    const retried = await post(app, '/events', event(9));
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ id: failed.json().id, status: 'processed', duplicate: false });
  });

  it('refuses simulateFailure when it is not allowed', async () => {
    const { app } = await start({ allow: false });
    const res = await post(app, '/events', event(9, { simulateFailure: true }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'SIMULATED_FAILURE_NOT_ALLOWED' });
  });

  it('503 KAFKA_UNAVAILABLE with Retry-After when the log does not acknowledge', async () => {
    const { app, waiters } = await start({ publish: async () => Promise.reject(new Error('broker down')) });
    const res = await post(app, '/events', event(1));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'KAFKA_UNAVAILABLE' });
    expect(waiters.size).toBe(0);
  });

  it('202 pending when the outcome is not there in time, and at once in async mode', async () => {
    const { app } = await start({ publish: async () => {}, syncTimeoutMs: 50 });
    const slow = await post(app, '/events', event(1));
    expect(slow.statusCode).toBe(202);
    expect(slow.json()).toMatchObject({ status: 'pending', duplicate: null });
    expect(slow.json().id).toMatch(/^[0-9a-f]{64}$/);
    const asyncRes = await post(app, '/events?mode=async', event(2));
    expect(asyncRes.statusCode).toBe(202);
  });
});

describe('POST /events/batch-metrics', () => {
  it('per-item results in order, with the counts', async () => {
    const { app } = await start();
    const res = await post(app, '/events/batch-metrics', [event(1), event(1), { client_id: 'c-1' }]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ processed: 1, duplicates: 1, failed: 0, rejected: 1, pending: 0 });
    expect(body.results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual([
      [0, 'processed'],
      [1, 'processed'],
      [2, 'rejected'],
    ]);
    expect(body.results[2]).toMatchObject({ reason: 'MISSING_FIELD' });
  });

  it('400 BODY_NOT_ARRAY for an object, 413 TOO_MANY_EVENTS past the limit', async () => {
    const { app } = await start();
    expect((await post(app, '/events/batch-metrics', event(1))).json()).toMatchObject({
      code: 'BODY_NOT_ARRAY',
    });
    const tooMany = await post(app, '/events/batch-metrics', [event(1), event(2), event(3), event(4)]);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ code: 'TOO_MANY_EVENTS' });
  });
});

describe('load shedding past maxInflightEvents', () => {
  it('503 OVERLOADED with Retry-After 1 while too many events wait, nothing of the request appended', async () => {
    let acknowledge!: () => void;
    const ack = new Promise<void>((resolve) => {
      acknowledge = resolve;
    });
    const appended: MetricIntake[] = [];
    const { app, waiters } = await start({
      maxInflightEvents: 3,
      publish: async (intake) => {
        appended.push(intake);
        await ack;
      },
    });
    // Two events wait for a slow Kafka.
    const slow = post(app, '/events/batch-metrics?mode=async', [event(1), event(2)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const shed = await post(app, '/events/batch-metrics', [event(3), event(4)]);
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.json()).toMatchObject({ code: 'OVERLOADED' });
    expect(appended).toHaveLength(1);
    expect(waiters.size).toBe(0);
    // One more event still fits under the bound.
    const single = post(app, '/events?mode=async', event(5));
    acknowledge();
    expect((await slow).statusCode).toBe(202);
    expect((await single).statusCode).toBe(202);
    expect((await post(app, '/events/batch-metrics?mode=async', [event(3), event(4)])).statusCode).toBe(202);
    expect(appended).toHaveLength(3);
  });
});
