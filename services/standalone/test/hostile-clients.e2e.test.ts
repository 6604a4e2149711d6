import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ids, startTestSystem, type TestSystem } from './system-harness.ts';

// Hostile and broken clients over real sockets on 127.0.0.1 against the whole system: each gets a
// bounded answer, and the service keeps answering everyone else meanwhile.
let sys: TestSystem;
let port: number;
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
beforeAll(async () => {
  sys = await startTestSystem({
    SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    SHOPFLOOR_MAX_BODY_BYTES: String(8 * 1024 * 1024),
  });
  port = Number(new URL(sys.url).port);
});
afterAll(async () => {
  await sys?.close();
});

/** Opens a raw socket, writes `chunks` `gapMs` apart, and resolves with what the server sent and when it closed. */
function rawExchange(chunks: string[], gapMs: number, maxMs = 15_000) {
  return new Promise<{ response: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${maxMs} ms`));
    }, maxMs);
    const finish = () => {
      clearTimeout(bound);
      clearTimeout(timer);
      resolve({ response, ms: Date.now() - started });
    };
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('close', finish);
    socket.on('error', () => {});
    let i = 0;
    const next = () => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i++]!);
      timer = setTimeout(next, gapMs);
    };
    socket.on('connect', next);
  });
}

const health = () => sys.get('/health');

function event(id: ReturnType<typeof ids>, n: number, over: Record<string, unknown> = {}) {
  return {
    eventId: id.event(n),
    eventTime: '2026-03-01T10:00:00Z',
    machineId: id.machine(),
    lineId: id.line(),
    factoryId: id.factory(),
    durationMs: 1000,
    defectCount: 1,
    ...over,
  };
}

describe('hostile clients', () => {
  test('headers trickled a byte at a time: 408 and closed within the headers timeout; others are served', async () => {
    const head = 'POST /events/batch HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    const slow = rawExchange([head, ...'a'.repeat(100).split('')], 200);
    const meanwhile = await health();
    expect(meanwhile.status).toBe(200);
    const { response, ms } = await slow;
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 3_000);
  });

  test('a body trickled slower than the request timeout: 408, closed; others are served', async () => {
    const head =
      'POST /events/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[';
    const slow = rawExchange([head, ...' '.repeat(200).split('')], 100);
    expect((await health()).status).toBe(200);
    const { response, ms } = await slow;
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
  });

  test('oversized headers are 431', async () => {
    const res = await fetch(`${sys.url}/health`, { headers: { 'x-big': 'a'.repeat(64 * 1024) } }).catch(
      (err: Error) => err,
    );
    // Node answers 431 and closes; fetch may see the answer or the reset, never a hang.
    if (!(res instanceof Error)) expect(res.status).toBe(431);
    const { response } = await rawExchange(
      [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
      0,
    );
    expect(response).toMatch(/^HTTP\/1\.1 431/);
    expect((await health()).status).toBe(200);
  });

  test('200 000 nested arrays: 400 JSON_TOO_DEEP; text/plain: 415; a body over the limit: 413', async () => {
    const deep = await sys.post(null, { raw: `${'['.repeat(200_000)}${']'.repeat(200_000)}` });
    expect(deep.status).toBe(400);
    expect(deep.body.code).toBe('JSON_TOO_DEEP');
    const plain = await sys.post(null, { raw: '[]', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(plain.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await sys.post(null, { raw: `["${'x'.repeat(9 * 1024 * 1024)}"]` });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await health()).status).toBe(200);
  });

  test('10 000 events, every id at the 128-character limit, are all counted', async () => {
    const id = ids('max');
    const pad = (s: string) => s.padEnd(128, 'x');
    const events = Array.from({ length: 10_000 }, (_, n) =>
      event(id, n, {
        eventId: pad(id.event(n)),
        machineId: pad(id.machine()),
        lineId: pad(id.line()),
        factoryId: pad(id.factory()),
      }),
    );
    const r = await sys.post(events);
    // A bounded answer either way: the outcome, or 202 with the batch id past the sync timeout.
    if (r.status === 200) expect(r.body).toMatchObject({ accepted: 10_000, rejected: 0 });
    else expect(r.body).toMatchObject({ status: 'pending', events: 10_000, rejected: 0 });
    const statsUrl = `/stats?machineId=${encodeURIComponent(pad(id.machine()))}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`;
    const deadline = Date.now() + 60_000;
    let s = await sys.get(statsUrl);
    while (s.body.eventsCount !== 10_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      s = await sys.get(statsUrl);
    }
    expect(s.body).toMatchObject({ eventsCount: 10_000, defectsCount: 10_000 });
  });

  test('300 idle connections and 50 concurrent batches: every batch answered, health still answers', async () => {
    const idle = await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
            s.on('error', () => {});
          }),
      ),
    );
    try {
      const id = ids('many');
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, n) => sys.post([event(id, n)], { query: '?mode=async' })),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
      expect((await health()).status).toBe(200);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

// Property: whatever a client posts, never a 500; every element of an array body is either counted
// exactly once (accepted or deduped) or rejected with the reason a model predicts; and the
// statistics equal the model's totals.
type Element = { value: unknown; expect: 'new' | 'duplicate' | { reason: string } };

const MACHINES = 3;
const WINDOW_START = Date.parse('2026-03-01T00:00:00Z');

function elementArbitrary(id: ReturnType<typeof ids>, serial: () => number) {
  const valid = fc
    .record({
      machine: fc.integer({ min: 0, max: MACHINES - 1 }),
      offsetMs: fc.integer({ min: 0, max: 86_400_000 - 1 }),
      durationMs: fc.integer({ min: 0, max: 21_600_000 }),
      defectCount: fc.integer({ min: -1, max: 20 }),
    })
    .map((r) => ({
      eventId: id.event(serial()),
      eventTime: new Date(WINDOW_START + r.offsetMs).toISOString(),
      machineId: id.machine(r.machine),
      lineId: id.line(r.machine),
      factoryId: id.factory(),
      durationMs: r.durationMs,
      defectCount: r.defectCount,
    }));
  type Mutation = [string, (e: Record<string, unknown>) => Record<string, unknown>];
  const mutations: Mutation[] = [
    ['MISSING_FIELD', ({ lineId: _, ...e }) => e],
    ['INVALID_TYPE', (e) => ({ ...e, durationMs: String(e.durationMs) })],
    ['INVALID_TYPE', (e) => ({ ...e, machineId: null })],
    ['NOT_AN_INTEGER', (e) => ({ ...e, defectCount: 1.5 })],
    ['INVALID_ID', (e) => ({ ...e, lineId: '' })],
    ['INVALID_ID', (e) => ({ ...e, factoryId: 'F\u0007' })],
    ['INVALID_ID', (e) => ({ ...e, machineId: 'm'.repeat(129) })],
    ['INVALID_EVENT_TIME', (e) => ({ ...e, eventTime: '2026-03-01T10:00:00' })],
    ['FUTURE_EVENT_TIME', (e) => ({ ...e, eventTime: '2099-01-01T00:00:00Z' })],
    ['INVALID_DURATION', (e) => ({ ...e, durationMs: -1 })],
    ['INVALID_DURATION', (e) => ({ ...e, durationMs: 21_600_001 })],
    ['INVALID_DEFECT_COUNT', (e) => ({ ...e, defectCount: -2 })],
  ];
  const mutated = fc
    .tuple(valid, fc.constantFrom(...mutations))
    .map(([e, [reason, mutate]]): Element => ({ value: mutate(e), expect: { reason } }));
  const notAnObject = fc
    .oneof(
      fc.constant(null),
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.array(fc.jsonValue(), { maxLength: 3 }),
    )
    .map((value): Element => ({ value, expect: { reason: 'NOT_AN_OBJECT' } }));
  // A random object names no valid eventId (its keys are random), so it is rejected, reason aside.
  const randomObject = fc
    .dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    .filter((o) => !('eventId' in o))
    .map((value): Element => ({ value, expect: { reason: '*' } }));
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((value): Element => ({ value, expect: 'new' })) },
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: notAnObject },
    { weight: 1, arbitrary: randomObject },
  );
}

describe('property: random bodies and mutated events', () => {
  test('never a 500; each event counted once or rejected with its reason; stats equal the model', async () => {
    const id = ids('prop');
    let n = 0;
    const seen: Record<string, unknown>[] = [];
    const model = Array.from({ length: MACHINES }, () => ({ events: 0, defects: 0 }));
    const element = elementArbitrary(id, () => ++n);
    const batch = fc
      .tuple(fc.array(element, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 3 }))
      .map(([elements, repeats]) => {
        // Repeats of events accepted by earlier batches: identical payloads, so deduped.
        const dups = repeats
          .filter(() => seen.length > 0)
          .map((i): Element => ({ value: seen[i % seen.length], expect: 'duplicate' }));
        return [...elements, ...dups];
      });

    await fc.assert(
      fc.asyncProperty(batch, async (elements) => {
        const r = await sys.post(elements.map((e) => e.value));
        expect(r.status).toBe(200);
        const fresh = elements.filter((e) => e.expect === 'new');
        const dups = elements.filter((e) => e.expect === 'duplicate');
        const rejected = elements.filter((e) => typeof e.expect === 'object');
        expect(r.body).toMatchObject({
          accepted: fresh.length,
          deduped: dups.length,
          updated: 0,
          rejected: rejected.length,
        });
        expect(r.body.rejections.map((x: { reason: string }) => x.reason)).toEqual(
          rejected
            .map((e) => (e.expect as { reason: string }).reason)
            .map((reason, i) => (reason === '*' ? r.body.rejections[i].reason : reason)),
        );
        for (const x of r.body.rejections) expect(typeof x.reason).toBe('string');
        for (const e of fresh) {
          const v = e.value as { machineId: string; defectCount: number };
          const m = model[Number(v.machineId.slice(v.machineId.lastIndexOf('M') + 1))]!;
          m.events += 1;
          if (v.defectCount > 0) m.defects += v.defectCount;
          seen.push(e.value as Record<string, unknown>);
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );

    // Whole bodies that are not arrays of events, or not JSON at all: a 4xx, never a 500.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
          fc.string(),
        ),
        async (raw) => {
          const r = await sys.post(null, { raw, query: '?mode=async' });
          expect(r.status, raw).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );

    for (let m = 0; m < MACHINES; m++) {
      const s = await sys.get(
        `/stats?machineId=${encodeURIComponent(id.machine(m))}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`,
      );
      expect(s.status).toBe(200);
      expect({ events: s.body.eventsCount, defects: s.body.defectsCount }, id.machine(m)).toEqual(model[m]);
    }
  });
});
