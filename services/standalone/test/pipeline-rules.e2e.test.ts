import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ids, startTestSystem, type TestSystem } from './system-harness.ts';

// End-to-end over HTTP: real broker, real dedupe consumer and projector, embedded ClickHouse.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

const T0 = '2026-03-01T10:00:00.000Z'; // months in the past: late events are processed like any other
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString();

function event(id: ReturnType<typeof ids>, n: number | string, over: Record<string, unknown> = {}) {
  return {
    eventId: id.event(n),
    eventTime: T0,
    machineId: id.machine(),
    lineId: id.line(),
    factoryId: id.factory(),
    durationMs: 1000,
    defectCount: 1,
    ...over,
  };
}

const stats = (machineId: string, start: string, end: string) =>
  sys.get(
    `/stats?machineId=${encodeURIComponent(machineId)}&start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
  );
const topLines = (factoryId: string, from: string, to: string, limit?: number) =>
  sys.get(
    `/stats/top-defect-lines?factoryId=${encodeURIComponent(factoryId)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${limit === undefined ? '' : `&limit=${limit}`}`,
  );
const DAY_BEFORE = '2026-02-28T00:00:00Z';
const DAY_AFTER = '2026-03-02T00:00:00Z';

describe('dedupe decisions', () => {
  test('a new event is accepted and counted', async () => {
    const id = ids('accept');
    const r = await sys.post([event(id, 1, { defectCount: 3 })]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 1, deduped: 0, updated: 0, rejected: 0, rejections: [] });
    const s = await stats(id.machine(), DAY_BEFORE, DAY_AFTER);
    expect(s.body).toMatchObject({ eventsCount: 1, defectsCount: 3 });
  });

  test('an identical event is deduped across batches and inside one batch', async () => {
    const id = ids('dedupe');
    const e = event(id, 1);
    expect((await sys.post([e, { ...e, receivedTime: '2020-01-01T00:00:00Z' }])).body).toMatchObject({
      accepted: 1,
      deduped: 1,
    });
    expect((await sys.post([e])).body).toMatchObject({ accepted: 0, deduped: 1, updated: 0 });
    // Same instant written another way is the same payload.
    expect((await sys.post([{ ...e, eventTime: '2026-03-01T11:00:00+01:00' }])).body).toMatchObject({
      deduped: 1,
    });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1,
      defectsCount: 1,
    });
  });

  test('a changed payload received later is an update that replaces the old version', async () => {
    const id = ids('update');
    await sys.post([event(id, 1, { defectCount: 1 })]);
    const r = await sys.post([event(id, 1, { defectCount: 4 })]);
    expect(r.body).toMatchObject({ accepted: 0, deduped: 0, updated: 1 });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1,
      defectsCount: 4,
    });
  });

  test('a changed payload that loses the tie-break is stale and counted as deduped', async () => {
    const id = ids('stale');
    // One batch: both versions share receivedAt; the greater payload key (defectCount 5) wins
    // whatever the order, so the second version here is stale.
    const r = await sys.post([event(id, 1, { defectCount: 5 }), event(id, 1, { defectCount: 1 })]);
    expect(r.body).toMatchObject({ accepted: 1, deduped: 1, updated: 0 });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({ defectsCount: 5 });
    // The same two in the other order end at the same winner, through an update.
    const id2 = ids('stale-rev');
    const r2 = await sys.post([event(id2, 1, { defectCount: 1 }), event(id2, 1, { defectCount: 5 })]);
    expect(r2.body).toMatchObject({ accepted: 1, deduped: 0, updated: 1 });
    expect((await stats(id2.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({ defectsCount: 5 });
  });

  test('five successive corrections of one event followed by a duplicate', async () => {
    const id = ids('five');
    expect((await sys.post([event(id, 1, { defectCount: 0 })])).body).toMatchObject({ accepted: 1 });
    for (let i = 1; i <= 5; i++) {
      expect((await sys.post([event(id, 1, { defectCount: i })])).body).toMatchObject({ updated: 1 });
    }
    expect((await sys.post([event(id, 1, { defectCount: 5 })])).body).toMatchObject({ deduped: 1 });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1,
      defectsCount: 5,
    });
    expect((await topLines(id.factory(), DAY_BEFORE, DAY_AFTER)).body).toEqual([
      { lineId: id.line(), totalDefects: 5, eventCount: 1, defectsPercent: 500 },
    ]);
  });

  test('corrections moving an event across machine, line and hour retract the old version', async () => {
    const id = ids('move');
    await sys.post([event(id, 1, { defectCount: 2 })]);
    const moved = event(id, 1, {
      defectCount: 3,
      machineId: id.machine(2),
      lineId: id.line(2),
      eventTime: at(T0, 3 * 3_600_000),
    });
    expect((await sys.post([moved])).body).toMatchObject({ updated: 1 });
    expect((await stats(id.machine(1), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 0,
      defectsCount: 0,
    });
    expect((await stats(id.machine(2), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1,
      defectsCount: 3,
    });
    // The old hour is empty, the new hour holds it.
    expect((await stats(id.machine(2), T0, at(T0, 3_600_000))).body).toMatchObject({ eventsCount: 0 });
    expect((await stats(id.machine(2), at(T0, 3 * 3_600_000), at(T0, 4 * 3_600_000))).body).toMatchObject({
      eventsCount: 1,
    });
    expect((await topLines(id.factory(), DAY_BEFORE, DAY_AFTER)).body).toEqual([
      { lineId: id.line(2), totalDefects: 3, eventCount: 1, defectsPercent: 300 },
    ]);
    // ... and across factories too.
    expect((await sys.post([{ ...moved, factoryId: id.factory(2) }])).body).toMatchObject({ updated: 1 });
    expect((await topLines(id.factory(1), DAY_BEFORE, DAY_AFTER)).body).toEqual([]);
    expect((await topLines(id.factory(2), DAY_BEFORE, DAY_AFTER)).body).toHaveLength(1);
  });
});

describe('validation through HTTP', () => {
  test('every rejection reason, naming the eventId', async () => {
    const id = ids('reject');
    const now = Date.now();
    const good = event(id, 'ok');
    const { eventTime: _omit, ...noTime } = event(id, 'missing');
    const batch = [
      'not an object',
      noTime,
      event(id, 'type', { durationMs: '100' }),
      event(id, 'frac', { defectCount: 1.5 }),
      event(id, 'ctl', { machineId: 'bad\u0007id' }),
      event(id, 'time', { eventTime: '2026-03-01T10:00:00' }),
      event(id, 'dur', { durationMs: 21_600_001 }),
      event(id, 'future', { eventTime: new Date(now + 20 * 60_000).toISOString() }),
      event(id, 'defect', { defectCount: -2 }),
      good,
    ];
    const r = await sys.post(batch);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 1, rejected: 9 });
    expect(r.body.rejections).toEqual([
      { eventId: null, reason: 'NOT_AN_OBJECT' },
      { eventId: id.event('missing'), reason: 'MISSING_FIELD' },
      { eventId: id.event('type'), reason: 'INVALID_TYPE' },
      { eventId: id.event('frac'), reason: 'NOT_AN_INTEGER' },
      { eventId: id.event('ctl'), reason: 'INVALID_ID' },
      { eventId: id.event('time'), reason: 'INVALID_EVENT_TIME' },
      { eventId: id.event('dur'), reason: 'INVALID_DURATION' },
      { eventId: id.event('future'), reason: 'FUTURE_EVENT_TIME' },
      { eventId: id.event('defect'), reason: 'INVALID_DEFECT_COUNT' },
    ]);
    // Nothing is silently dropped: the dead letters are queryable with their payloads.
    const dead = await sys.get(`/dead-letters?batchId=${r.body.batchId}`);
    expect(dead.status).toBe(200);
    expect(dead.body).toHaveLength(9);
    expect(dead.body[2]).toMatchObject({ eventId: id.event('type'), reason: 'INVALID_TYPE' });
    expect(JSON.parse(dead.body[2].payload)).toMatchObject({ durationMs: '100' });
  });

  test('a dead letter keeps the exact bytes the machine sent: spacing, key order, 1.50, 1e2, escapes', async () => {
    const id = ids('exact');
    const fields = `"eventTime" : "${T0}","machineId":"${id.machine()}", "lineId":"${id.line()}","factoryId":"${id.factory()}"`;
    const fraction = `{ "defectCount":1.50 ,"eventId":"${id.event(1)}",\t"durationMs": 1e2, ${fields}\n  }`;
    const good = `{"eventId":"${id.event(2)}",${fields},"durationMs":1e2,"defectCount":0}`;
    const negative = `{"durationMs":-1.0E1,  "eventId" : "${id.event(3)}","defectCount":  0, ${fields}}`;
    const notAnObject = '"caf\\u00e9 \\ud83d\\ude00"';
    const raw = `\n[ ${fraction} ,\r\n${good},   ${negative}\n,${notAnObject}  ]\n`;
    const r = await sys.post(undefined, { raw });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 1, rejected: 3 });
    expect(r.body.rejections.map((x: { reason: string }) => x.reason)).toEqual([
      'NOT_AN_INTEGER',
      'INVALID_DURATION',
      'NOT_AN_OBJECT',
    ]);
    const dead = await sys.get(`/dead-letters?batchId=${r.body.batchId}`);
    expect(dead.body.map((d: { payload: string }) => d.payload)).toEqual([fraction, negative, notAnObject]);
  });

  test('duration edges: 0 and 6 h accepted, 6 h + 1 ms rejected', async () => {
    const id = ids('duration');
    const r = await sys.post([
      event(id, 1, { durationMs: 0 }),
      event(id, 2, { durationMs: 21_600_000 }),
      event(id, 3, { durationMs: 21_600_001 }),
      event(id, 4, { durationMs: -1 }),
    ]);
    expect(r.body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(r.body.rejections.map((x: { reason: string }) => x.reason)).toEqual([
      'INVALID_DURATION',
      'INVALID_DURATION',
    ]);
  });

  test('eventTime 10 minutes ahead is accepted, 20 minutes ahead rejected', async () => {
    const id = ids('future');
    const now = Date.now();
    const r = await sys.post([
      event(id, 1, { eventTime: new Date(now + 10 * 60_000).toISOString() }),
      event(id, 2, { eventTime: new Date(now + 20 * 60_000).toISOString() }),
    ]);
    expect(r.body).toMatchObject({
      accepted: 1,
      rejected: 1,
      rejections: [{ eventId: id.event(2), reason: 'FUTURE_EVENT_TIME' }],
    });
  });

  test('eventTime from 1900 on is stored, even before 1970; earlier is rejected', async () => {
    const id = ids('old-times');
    const r = await sys.post([
      event(id, 1, { eventTime: '1970-01-01T00:00:01Z' }),
      event(id, 2, { eventTime: '1955-06-01T12:00:00.250Z' }),
      event(id, 3, { eventTime: '1899-12-31T23:59:59Z' }),
    ]);
    expect(r.body).toMatchObject({
      accepted: 2,
      rejected: 1,
      rejections: [{ eventId: id.event(3), reason: 'INVALID_EVENT_TIME' }],
    });
    expect(
      (await stats(id.machine(), '1955-06-01T12:00:00.250Z', '1970-01-01T00:00:01.001Z')).body,
    ).toMatchObject({
      eventsCount: 2,
    });
    expect(
      (await stats(id.machine(), '1955-06-01T12:00:00.251Z', '1970-01-01T00:00:01Z')).body,
    ).toMatchObject({
      eventsCount: 0,
    });
  });

  test('defectCount -1 counts as an event but never as defects, in both endpoints', async () => {
    const id = ids('unknown-defects');
    await sys.post([event(id, 1, { defectCount: -1 }), event(id, 2, { defectCount: 2 })]);
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 2,
      defectsCount: 2,
    });
    expect((await topLines(id.factory(), DAY_BEFORE, DAY_AFTER)).body).toEqual([
      { lineId: id.line(), totalDefects: 2, eventCount: 2, defectsPercent: 100 },
    ]);
  });

  test('hostile input: unicode ids, quotes, backslashes, SQL-looking ids are data', async () => {
    const id = ids('hostile');
    const weird = [
      `${id.machine()}-工場-🏭`,
      `${id.machine()}'"; DROP TABLE events; --`,
      `${id.machine()}\\\\x`,
    ];
    const r = await sys.post(
      weird.map((m, i) => event(id, `u${i}`, { machineId: m, eventId: `${id.event(i)}-"quoted"-ü` })),
    );
    expect(r.body).toMatchObject({ accepted: 3, rejected: 0 });
    for (const m of weird) {
      expect((await stats(m, DAY_BEFORE, DAY_AFTER)).body).toMatchObject({ machineId: m, eventsCount: 1 });
    }
    const wrong = await sys.post([null, 42, [], { eventId: 7 }, { ...event(id, 'x'), defectCount: null }]);
    expect(wrong.body.rejections.map((x: { reason: string }) => x.reason)).toEqual([
      'NOT_AN_OBJECT',
      'NOT_AN_OBJECT',
      'NOT_AN_OBJECT',
      'INVALID_TYPE',
      'INVALID_TYPE',
    ]);
  });
});

describe('malformed requests never answer 500', () => {
  test.each([
    ['malformed JSON', '[{"eventId": ', 400, 'INVALID_JSON'],
    ['an object instead of an array', '{"eventId":"x"}', 400, 'BODY_NOT_ARRAY'],
    ['a bare string', '"events"', 400, 'BODY_NOT_ARRAY'],
    ['null', 'null', 400, 'BODY_NOT_ARRAY'],
    ['an empty body', '', 400, 'INVALID_JSON'],
    ['a prototype-pollution attempt', '[{"__proto__":{"x":1}}]', 400, 'INVALID_JSON'],
  ])('%s → %i %s', async (_name, raw, status, code) => {
    const r = await sys.post(undefined, { raw });
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ code, message: expect.any(String) });
  });

  test('a body that is not JSON → 415', async () => {
    const r = await sys.post(undefined, { raw: 'a,b', headers: { 'content-type': 'text/csv' } });
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('too many events → 413 TOO_MANY_EVENTS; an oversize body → 413 PAYLOAD_TOO_LARGE', async () => {
    const many = await sys.post(Array.from({ length: 10_001 }, () => ({})));
    expect(many.status).toBe(413);
    expect(many.body.code).toBe('TOO_MANY_EVENTS');
    const huge = await sys.post(undefined, { raw: `["${'x'.repeat(17 * 1024 * 1024)}"]` });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('an empty array is a valid, empty batch', async () => {
    expect((await sys.post([])).body).toMatchObject({ accepted: 0, deduped: 0, updated: 0, rejected: 0 });
  });
});

describe('windows and health', () => {
  test('[start, end) at second and millisecond edges, with and without milliseconds in the query', async () => {
    const id = ids('window');
    await sys.post([
      event(id, 1, { eventTime: '2026-03-01T10:00:00.000Z' }),
      event(id, 2, { eventTime: '2026-03-01T10:00:59.999Z' }),
      event(id, 3, { eventTime: '2026-03-01T10:01:00.000Z' }),
      event(id, 4, { eventTime: '2026-03-01T10:30:00.500Z' }),
    ]);
    const count = async (s: string, e: string) => (await stats(id.machine(), s, e)).body.eventsCount;
    expect(await count('2026-03-01T10:00:00Z', '2026-03-01T10:01:00Z')).toBe(2); // no ms in the query
    expect(await count('2026-03-01T10:00:00.000Z', '2026-03-01T10:00:59.999Z')).toBe(1); // end exclusive
    expect(await count('2026-03-01T10:00:00.001Z', '2026-03-01T10:01:00.001Z')).toBe(2);
    expect(await count('2026-03-01T10:01:00Z', '2026-03-01T11:00:00Z')).toBe(2);
    expect(await count('2026-03-01T10:30:00.500Z', '2026-03-01T10:30:00.501Z')).toBe(1);
    expect(await count('2026-03-01T10:30:00Z', '2026-03-01T10:30:00.500Z')).toBe(0);
    expect(await count('2026-03-01T11:00:00+01:00', '2026-03-01T11:01:00+01:00')).toBe(2); // offsets
    expect(await count('2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z')).toBe(0); // empty window
  });

  test('health: 1.5 is Healthy, exactly 2.0 is Warning, an empty window is Healthy with zeros', async () => {
    const id = ids('health');
    await sys.post([
      event(id, 1, { defectCount: 3 }),
      event(id, 2, { defectCount: -1 }),
      event(id, 3, { machineId: id.machine(2), defectCount: 2 }),
    ]);
    const two = await stats(id.machine(), '2026-03-01T09:30:00Z', '2026-03-01T11:30:00Z');
    expect(two.body).toEqual({
      machineId: id.machine(),
      start: '2026-03-01T09:30:00Z',
      end: '2026-03-01T11:30:00Z',
      eventsCount: 2,
      defectsCount: 3,
      avgDefectRate: 1.5,
      status: 'Healthy',
    });
    const exact = await stats(id.machine(2), '2026-03-01T09:30:00Z', '2026-03-01T10:30:00Z');
    expect(exact.body).toMatchObject({ defectsCount: 2, avgDefectRate: 2, status: 'Warning' });
    const empty = await stats(id.machine(), '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z');
    expect(empty.body).toMatchObject({
      eventsCount: 0,
      defectsCount: 0,
      avgDefectRate: 0,
      status: 'Healthy',
    });
  });

  test('bad query parameters → 400 INVALID_QUERY naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/stats?start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z', /machineId/],
      ['/stats?machineId=M&start=yesterday&end=2026-03-02T00:00:00Z', /start/],
      ['/stats?machineId=M&start=2026-03-01T00:00:00Z', /end/],
      [
        '/stats?machineId=M&start=2026-03-02T00:00:00Z&end=2026-03-01T00:00:00Z',
        /end must not be before start/,
      ],
      ['/stats?machineId=M&start=2026-03-01T00:00:00&end=2026-03-02T00:00:00Z', /start/],
      [
        '/stats/top-defect-lines?factoryId=F&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&limit=0',
        /limit/,
      ],
      [
        '/stats/top-defect-lines?factoryId=F&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&limit=1001',
        /limit/,
      ],
      [
        '/stats/top-defect-lines?factoryId=F&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&limit=abc',
        /limit/,
      ],
      ['/stats/top-defect-lines?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z', /factoryId/],
      [
        '/stats/top-defect-lines?factoryId=F&from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z',
        /to must not be before from/,
      ],
    ];
    for (const [url, message] of cases) {
      const r = await sys.get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.code, url).toBe('INVALID_QUERY');
      expect(r.body.message, url).toMatch(message);
    }
  });
});

describe('top defect lines', () => {
  test('ordering (ties by lineId), limit, factory filter and percent rounding', async () => {
    const id = ids('top');
    const line = (l: string, n: number, defects: number[]) =>
      defects.map((d, i) => event(id, `${l}-${n}-${i}`, { lineId: id.line(l), defectCount: d }));
    await sys.post([
      ...line('a', 1, [1, 0, 0]), // 1/3 → 33.33
      ...line('b', 1, [1, 1, 0]), // 2/3 → 66.67
      ...line('c', 1, [1, 1]), // 2/2 → 100, ties with b on defects
      ...line('d', 1, [0]),
      event(id, 'other-factory', { factoryId: id.factory(2), lineId: id.line('z'), defectCount: 9 }),
    ]);
    const all = await topLines(id.factory(), DAY_BEFORE, DAY_AFTER);
    expect(all.body).toEqual([
      { lineId: id.line('b'), totalDefects: 2, eventCount: 3, defectsPercent: 66.67 },
      { lineId: id.line('c'), totalDefects: 2, eventCount: 2, defectsPercent: 100 },
      { lineId: id.line('a'), totalDefects: 1, eventCount: 3, defectsPercent: 33.33 },
      { lineId: id.line('d'), totalDefects: 0, eventCount: 1, defectsPercent: 0 },
    ]);
    expect((await topLines(id.factory(), DAY_BEFORE, DAY_AFTER, 2)).body).toHaveLength(2);
    expect((await topLines(id.factory(2), DAY_BEFORE, DAY_AFTER)).body).toEqual([
      { lineId: id.line('z'), totalDefects: 9, eventCount: 1, defectsPercent: 900 },
    ]);
  });
});

describe('concurrency and volume', () => {
  test('10 parallel batches of 100 distinct events are all accepted and counted once', async () => {
    const id = ids('parallel');
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, b) =>
        sys.post(Array.from({ length: 100 }, (_, i) => event(id, `${b}-${i}`, { defectCount: 1 }))),
      ),
    );
    for (const r of replies) expect(r.body).toMatchObject({ accepted: 100, deduped: 0, rejected: 0 });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1000,
      defectsCount: 1000,
    });
  });

  test('10 parallel posts of one identical event: accepted 1, deduped 9 in total', async () => {
    const id = ids('same');
    const e = event(id, 1);
    const replies = await Promise.all(Array.from({ length: 10 }, () => sys.post([e])));
    const sum = (k: string) => replies.reduce((n, r) => n + r.body[k], 0);
    expect({ accepted: sum('accepted'), deduped: sum('deduped'), updated: sum('updated') }).toEqual({
      accepted: 1,
      deduped: 9,
      updated: 0,
    });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({ eventsCount: 1 });
  });

  test('a 1000-event batch', async () => {
    const id = ids('thousand');
    const r = await sys.post(
      Array.from({ length: 1000 }, (_, i) =>
        event(id, i, { defectCount: i % 3, eventTime: at(T0, i * 1000) }),
      ),
    );
    expect(r.body).toMatchObject({ accepted: 1000, rejected: 0 });
    expect((await stats(id.machine(), DAY_BEFORE, DAY_AFTER)).body).toMatchObject({
      eventsCount: 1000,
      defectsCount: 999,
    });
  });
});

describe('async mode', () => {
  test('202 as soon as the batch is durable, then the final counts by its id', async () => {
    const id = ids('async');
    const r = await sys.post([event(id, 1), event(id, 1), event(id, 2, { durationMs: -5 })], {
      query: '?mode=async',
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'pending', events: 3, rejected: 1 });
    expect(r.headers.get('location')).toBe(r.body.statusUrl);
    let status: any;
    for (let i = 0; i < 100; i++) {
      status = (await sys.get(r.body.statusUrl)).body;
      if (status.status === 'complete') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toMatchObject({
      status: 'complete',
      accepted: 1,
      deduped: 1,
      updated: 0,
      rejected: 1,
      rejections: [{ eventId: id.event(2), reason: 'INVALID_DURATION' }],
    });
    const viaHeader = await sys.post([event(id, 3)], { headers: { prefer: 'respond-async' } });
    expect(viaHeader.status).toBe(202);
  });
});
