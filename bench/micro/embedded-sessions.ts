/**
 * The embedded engine's session pool (issues 10 and 12): how long a short statement waits behind a
 * bulk insert with 1 session against N, and what one events group's inserts cost serial against
 * side by side. One data directory, one migrated engine; a handle per session count on it, used
 * in turn round by round (interleaved, so the machine's load hits every variant).
 *
 *   pnpm exec tsx bench/micro/embedded-sessions.ts [sessions=1,2,3] [rounds=15] [bulkRows=20000]
 *
 * A: a 20 000-row insert into sensor_readings in flight; 5 ms later a 1-row sensor_alerts insert
 *    (and, beside another bulk insert, the alert page: a small SELECT). Figures: each one's
 *    latency, the bulk insert's.
 * B: one events group: event_changes 2 000 rows, batch_events 2 000 rows, rejected_events 3 rows,
 *    serial (one after the other) and parallel (Promise.all). Wall and process CPU (the engine's
 *    threads included: they are this process's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BatchEventRow,
  type ClickHouseHandle,
  type EventChangeRow,
  insertBatchEvents,
  insertEventChanges,
  insertRejectedEvents,
  insertSensorAlerts,
  insertSensorReadings,
  migrate,
  openClickHouse,
  querySensorAlertPage,
  type RejectedEventRow,
} from '@shopfloor/clickhouse';
import { sampleSensorAlertRow, sampleSensorReadingRow } from '@shopfloor/clickhouse/testing';

const SESSIONS = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const ROUNDS = Number(process.argv[3] ?? 15);
const BULK = Number(process.argv[4] ?? 20_000);
const GROUP = 2_000;
const T0 = Date.UTC(2026, 10, 1);

let seq = 0;
const token = (what: string) => `bench:${what}:${seq++}`;

function readings(n: number) {
  const base = seq++ * n;
  return Array.from({ length: n }, (_, i) =>
    sampleSensorReadingRow({
      id: `${base + i}`,
      equipmentId: `EQ-${i % 50}`,
      sensorType: 'temperature',
      value: 20 + (i % 7),
      atMs: T0 + base + i,
    }),
  );
}

function eventsGroup() {
  const base = seq++ * GROUP;
  const changes: EventChangeRow[] = [];
  const batch: BatchEventRow[] = [];
  for (let i = 0; i < GROUP; i++) {
    const at = T0 + (base + i) * 10;
    changes.push({
      sign: 1,
      eventId: `E-${base + i}`,
      eventTimeMs: at,
      machineId: `M-${i % 40}`,
      lineId: `L-${i % 8}`,
      factoryId: 'F-1',
      durationMs: 900,
      defectCount: i % 3,
      receivedAt: at + 5,
      version: 1,
    });
    batch.push({
      batchId: `B-${base}`,
      seq: i,
      batchSize: GROUP,
      eventId: `E-${base + i}`,
      decision: 'accepted',
      reason: '',
      recordedAt: at + 6,
    });
  }
  const rejected: RejectedEventRow[] = [0, 1, 2].map((i) => ({
    batchId: `B-${base}`,
    seq: GROUP + i,
    eventId: null,
    reason: 'MISSING_FIELD',
    message: 'eventId is required',
    payload: '{}',
    receivedAt: T0 + base,
  }));
  return { changes, batch, rejected };
}

/** Starts a bulk sensor_readings insert, runs `short` 5 ms into it: the short one's and the bulk's ms. */
async function besideBulk(ch: ClickHouseHandle, short: () => Promise<unknown>) {
  const bulkStart = performance.now();
  const bulk = insertSensorReadings(ch.writer, readings(BULK), { dedupToken: token('bulk') }).then(
    () => performance.now() - bulkStart,
  );
  await sleep(5);
  const t = performance.now();
  await short();
  return { shortMs: performance.now() - t, bulkMs: await bulk };
}

async function shortBesideBulk(ch: ClickHouseHandle) {
  const alert = await besideBulk(ch, () => {
    const id = token('alert');
    return insertSensorAlerts(ch.writer, [sampleSensorAlertRow(id, 'EQ-1', 'CRITICAL', T0 + seq)], {
      dedupToken: id,
    });
  });
  const page = await besideBulk(ch, () =>
    querySensorAlertPage(ch.reader, { fromMs: T0, toMs: T0 + 10 ** 10, limit: 20 }),
  );
  return { alertMs: alert.shortMs, selectMs: page.shortMs, bulkMs: alert.bulkMs };
}

async function eventsGroupInserts(ch: ClickHouseHandle, parallel: boolean) {
  const g = eventsGroup();
  const t = token('group');
  const writes = [
    () => insertEventChanges(ch.writer, g.changes, { dedupToken: `${t}:changes`, validate: false }),
    () => insertRejectedEvents(ch.writer, g.rejected, { dedupToken: `${t}:rejected` }),
    () => insertBatchEvents(ch.writer, g.batch, { dedupToken: `${t}:batches`, validate: false }),
  ];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  if (parallel) await Promise.all(writes.map((w) => w()));
  else for (const w of writes) await w();
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;
const f = (x: number) => x.toFixed(1);

const dataDir = await mkdtemp(join(tmpdir(), 'embedded-sessions-'));
const handles = new Map<number, ClickHouseHandle>();
try {
  for (const n of SESSIONS) handles.set(n, await openClickHouse({ dataDir, sessions: n }));
  await migrate((handles.get(SESSIONS[0] as number) as ClickHouseHandle).writer);
  const a = new Map(
    SESSIONS.map((n) => [n, { alert: [] as number[], select: [] as number[], bulk: [] as number[] }]),
  );
  const b = new Map(SESSIONS.map((n) => [`${n}:${false}`, { wall: [] as number[], cpu: [] as number[] }]));
  for (const n of SESSIONS) b.set(`${n}:${true}`, { wall: [], cpu: [] });
  const loads: number[] = [];
  for (let round = -1; round < ROUNDS; round++) {
    for (const n of SESSIONS) {
      const ch = handles.get(n) as ClickHouseHandle;
      const r = await shortBesideBulk(ch);
      const serial = await eventsGroupInserts(ch, false);
      const parallel = await eventsGroupInserts(ch, true);
      if (round < 0) continue; // warm-up
      const m = a.get(n);
      m?.alert.push(r.alertMs);
      m?.select.push(r.selectMs);
      m?.bulk.push(r.bulkMs);
      for (const [par, x] of [
        [false, serial],
        [true, parallel],
      ] as const) {
        b.get(`${n}:${par}`)?.wall.push(x.wallMs);
        b.get(`${n}:${par}`)?.cpu.push(x.cpuMs);
      }
    }
    loads.push(loadavg()[0] as number);
  }
  console.log(
    `rounds ${ROUNDS}, bulk ${BULK} rows, load1 during: ${loads.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    `A: a 1-row alert insert, and the alert page, each started 5 ms into a ${BULK}-row sensor_readings insert (ms, p50 / p90)`,
  );
  const a1 = a.get(SESSIONS[0] as number);
  for (const n of SESSIONS) {
    const m = a.get(n);
    if (!m || !a1) continue;
    console.log(
      `  sessions ${n}: alert insert ${f(median(m.alert))} / ${f(p90(m.alert))}, alert page ${f(median(m.select))} / ${f(p90(m.select))}, bulk insert ${f(median(m.bulk))}` +
        (n === SESSIONS[0]
          ? ''
          : `  (alert p50 x${(median(m.alert) / median(a1.alert)).toFixed(2)}, page p50 x${(median(m.select) / median(a1.select)).toFixed(2)} of sessions ${SESSIONS[0]})`),
    );
  }
  console.log(
    `B: one events group (event_changes ${GROUP}, batch_events ${GROUP}, rejected_events 3): wall / process CPU, ms p50`,
  );
  for (const n of SESSIONS) {
    const s = b.get(`${n}:false`);
    const p = b.get(`${n}:true`);
    if (!s || !p) continue;
    console.log(
      `  sessions ${n}: serial ${f(median(s.wall))} / ${f(median(s.cpu))}, parallel ${f(median(p.wall))} / ${f(median(p.cpu))}  (wall x${(median(p.wall) / median(s.wall)).toFixed(2)}, CPU x${(median(p.cpu) / median(s.cpu)).toFixed(2)})`,
    );
  }
} finally {
  for (const ch of handles.values()) await ch.close();
  await rm(dataDir, { recursive: true, force: true });
}
