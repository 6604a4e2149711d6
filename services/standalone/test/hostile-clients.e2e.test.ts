import net from 'node:net';
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
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 10_000, rejected: 0 });
    const s = await sys.get(
      `/stats?machineId=${encodeURIComponent(pad(id.machine()))}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`,
    );
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
