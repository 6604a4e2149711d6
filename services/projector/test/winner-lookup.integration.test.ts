import { insertEventChanges } from '@shopfloor/clickhouse';
import { httpWinnerLookup } from '@shopfloor/consumer';
import { payloadKey } from '@shopfloor/contracts';
import { installErrorHandling } from '@shopfloor/http-kit';
import { startEmbeddedClickHouse } from '@shopfloor/test-support';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { winnerLookupRoutes } from '../src/winner-lookup.ts';

// The path separate dedupe processes take to find winners past their state horizon: HTTP to the
// ClickHouse-owning process, which reads `events FINAL` in the embedded engine.
let ch: Awaited<ReturnType<typeof startEmbeddedClickHouse>>;
const app = Fastify();
let url = '';
beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
  installErrorHandling(app);
  await app.register(winnerLookupRoutes, { reader: ch.handle.reader });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await ch?.stop();
});

test('winners come back as state entries, the latest version only; unknown ids are absent', async () => {
  const v1 = {
    eventId: 'E-"1"',
    eventTimeMs: Date.parse('2026-01-01T00:00:00Z'),
    machineId: 'M',
    lineId: 'L',
    factoryId: 'F',
    durationMs: 5,
    defectCount: 1,
    receivedAt: 1_000,
    version: 1,
  };
  const v2 = { ...v1, machineId: 'M2', defectCount: 4, receivedAt: 2_000, version: 2 };
  await insertEventChanges(ch.handle.writer, [{ sign: 1, ...v1 }], { dedupToken: 't1' });
  await insertEventChanges(
    ch.handle.writer,
    [
      { sign: -1, ...v1 },
      { sign: 1, ...v2 },
    ],
    { dedupToken: 't2' },
  );
  const found = await httpWinnerLookup(url)(['E-"1"', 'nope']);
  expect([...found.keys()]).toEqual(['E-"1"']);
  expect(found.get('E-"1"')).toEqual({ ...v2, payloadKey: payloadKey(v2) });
  const bad = await fetch(`${url}/internal/winners`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"eventIds": 5}',
  });
  expect(bad.status).toBe(400);
});
