import { setTimeout as sleep } from 'node:timers/promises';
import type { OutcomeDecision } from '@shopfloor/contracts';
import { sampleEvent } from '@shopfloor/contracts/testing';
import { type HttpApp, HttpError, OutcomeTracker } from '@shopfloor/http-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { buildGatewayApp, type GatewayAppConfig } from './app.ts';
import type { BatchIntake } from './batch-intake.ts';
import type { BatchPublisher } from './batch-publisher.ts';

// The gateway's routes with fakes of its ports: no broker. The publisher fake records what would be
// appended to Kafka; `decide` plays the pipeline by reporting outcomes to the tracker.

const AT = Date.parse('2026-03-01T10:00:00Z');
const event = sampleEvent;

type FakePublisher = BatchPublisher & { published: BatchIntake[] };

function fakePublisher(onPublish: (batch: BatchIntake) => Promise<void> | void = () => {}): FakePublisher {
  const published: BatchIntake[] = [];
  return {
    published,
    async publish(batch) {
      await onPublish(batch);
      published.push(batch);
    },
  };
}

/** What the pipeline would report for a published batch: every raw event accepted, dead letters rejected. */
function reportAll(tracker: OutcomeTracker, batch: BatchIntake, kind: 'accepted' | 'stale' = 'accepted') {
  const decisions: OutcomeDecision[] = [
    ...batch.raw.map((r) => ({ seq: r.seq, decision: kind, eventId: r.event.eventId })),
    ...batch.rejected.map((d) => ({
      seq: d.seq,
      decision: 'rejected' as const,
      eventId: d.eventId,
      reason: d.reason,
    })),
  ];
  tracker.ingest({
    v: 1,
    batchId: batch.batchId,
    batchSize: batch.raw.length + batch.rejected.length,
    decisions,
  });
}

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function gateway(
  publisher: BatchPublisher,
  tracker = new OutcomeTracker(),
  config: Partial<GatewayAppConfig> = {},
) {
  const app = await buildGatewayApp(
    { maxBodyBytes: 64 * 1024, maxBatchEvents: 5, syncTimeoutMs: 200, ...config },
    { publisher, outcomes: tracker, now: () => AT },
  );
  apps.push(app);
  return app;
}

const post = (app: HttpApp, body: unknown, url = '/events/batch', headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('POST /events/batch', () => {
  test('answers the final outcome once the pipeline reports it; rejections from the gateway, in batch order', async () => {
    const tracker = new OutcomeTracker();
    const publisher = fakePublisher((batch) => {
      setTimeout(() => reportAll(tracker, batch), 5);
    });
    const app = await gateway(publisher, tracker);
    const res = await post(app, [event('e-1'), event('e-2', { durationMs: -1 }), 42, event('e-3')]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      accepted: 2,
      deduped: 0,
      updated: 0,
      rejected: 2,
      rejections: [
        { eventId: 'e-2', reason: 'INVALID_DURATION' },
        { eventId: null, reason: 'NOT_AN_OBJECT' },
      ],
    });
    expect(body.batchId).toBe(publisher.published[0]?.batchId);
    expect(publisher.published[0]?.raw.map((r) => r.receivedAt)).toEqual([AT, AT]);
  });

  test('stale versions count as deduped', async () => {
    const tracker = new OutcomeTracker();
    const app = await gateway(
      fakePublisher((b) => void setTimeout(() => reportAll(tracker, b, 'stale'), 5)),
      tracker,
    );
    expect((await post(app, [event('e-1')])).json()).toMatchObject({ accepted: 0, deduped: 1 });
  });

  test.each([
    ['?mode=async', {}],
    ['', { prefer: 'respond-async, wait=10' }],
  ])('async mode (%s %j) answers 202 once durable, with where to look', async (query, headers) => {
    const publisher = fakePublisher();
    const app = await gateway(publisher);
    const res = await post(app, [event('e-1'), { eventId: 'bad' }], `/events/batch${query}`, headers);
    expect(res.statusCode).toBe(202);
    const batchId = publisher.published[0]?.batchId;
    expect(res.headers.location).toBe(`/events/batch/${batchId}`);
    expect(res.json()).toEqual({
      batchId,
      status: 'pending',
      events: 2,
      rejected: 1,
      statusUrl: `/events/batch/${batchId}`,
    });
  });

  test('answers 202 instead of hanging when the outcome is late', async () => {
    const tracker = new OutcomeTracker();
    const app = await gateway(fakePublisher(), tracker, { syncTimeoutMs: 20 });
    const res = await post(app, [event('e-1')]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending', events: 1 });
    expect(tracker.pending).toBe(0);
  });

  test('an empty batch is answered at once, with nothing published', async () => {
    const publisher = fakePublisher();
    const res = await post(await gateway(publisher), []);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 0, deduped: 0, updated: 0, rejected: 0, rejections: [] });
    expect(publisher.published).toEqual([]);
  });

  test('the log not acknowledging is a 503 with the Retry-After of KAFKA_UNAVAILABLE', async () => {
    const tracker = new OutcomeTracker();
    const app = await gateway(
      fakePublisher(() => {
        throw new HttpError('KAFKA_UNAVAILABLE', 'broker down');
      }),
      tracker,
    );
    const res = await post(app, [event('e-1')]);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ code: 'KAFKA_UNAVAILABLE', message: 'broker down' });
    expect(tracker.pending).toBe(0);
  });

  test('sheds load past maxInflightEvents with 503 OVERLOADED and Retry-After 1', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tracker = new OutcomeTracker();
    let waitsStarted = 0;
    tracker.onExpect(() => waitsStarted++);
    const app = await gateway(
      fakePublisher(() => held),
      tracker,
      { maxInflightEvents: 3 },
    );
    const first = post(app, [event('e-1'), event('e-2')], '/events/batch?mode=async');
    await sleep(20);
    const second = await post(app, [event('e-3'), event('e-4')], '/events/batch?mode=async');
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.json().code).toBe('OVERLOADED');
    // A shed sync request starts no wait (a projector would shorten its window for nothing).
    const shedSync = await post(app, [event('e-5'), event('e-6')]);
    expect(shedSync.json().code).toBe('OVERLOADED');
    expect(waitsStarted).toBe(0);
    expect(tracker.pending).toBe(0);
    release();
    expect((await first).statusCode).toBe(202);
  });

  test.each([
    ['an object', { eventId: 'x' }, 'object'],
    ['null', null, 'null'],
    ['a string', 'events', 'string'],
  ])('a body that is %s is 400 BODY_NOT_ARRAY naming what it got', async (_what, body, kind) => {
    const res = await post(await gateway(fakePublisher()), body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'BODY_NOT_ARRAY',
      message: `The request body must be a JSON array of events, got ${kind}.`,
    });
  });

  test('more events than allowed is 413 TOO_MANY_EVENTS; a larger body than allowed is 413 PAYLOAD_TOO_LARGE', async () => {
    const app = await gateway(fakePublisher(), new OutcomeTracker(), { maxBodyBytes: 2048 });
    const many = await post(
      app,
      Array.from({ length: 6 }, (_, i) => i),
    );
    expect(many.statusCode).toBe(413);
    expect(many.json().code).toBe('TOO_MANY_EVENTS');
    const large = await post(app, ['x'.repeat(4096)]);
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('bad JSON is 400 INVALID_JSON and another media type 415', async () => {
    const app = await gateway(fakePublisher());
    const bad = await app.inject({
      method: 'POST',
      url: '/events/batch',
      payload: '[{',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_JSON');
    const text = await app.inject({
      method: 'POST',
      url: '/events/batch',
      payload: '[]',
      headers: { 'content-type': 'application/xml' },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
