// The query API as a user sees it: waiting (bounded) until the pipeline has settled, then asking
// GET /stats and GET /stats/top-defect-lines for several windows and comparing with the truth.
import { setTimeout as sleep } from 'node:timers/promises';
import { diffMaps, type TableDiff } from './diff.ts';
import type { ExpectedState, MachineStatsAnswer, TopLine } from './ground-truth.ts';
import { DAY_END_MS, DAY_START_MS } from './workload.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (time: string) => Date.parse(`2026-03-01T${time}Z`);

/** Windows [start, end): the whole day, ragged ms edges, one hour, inside one minute, across midnight. */
export const WINDOWS: [number, number][] = [
  [DAY_START_MS, DAY_END_MS],
  [at('05:17:23.456'), at('17:42:11.789')],
  [at('10:00:00.000'), at('11:00:00.000')],
  [at('12:00:10.500'), at('12:00:40.250')],
  [at('23:58:59.999'), DAY_END_MS + 1],
];

export async function getJson(url: string, timeoutMs = 15_000): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}

/** GET with a few retries (the projector or the stream's service may be restarting). */
export async function getOk(url: string): Promise<unknown> {
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const r = await getJson(url);
      if (r.status === 200) return r.body;
      last = `${r.status} ${JSON.stringify(r.body)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(500 * (attempt + 1));
  }
  throw new Error(`GET ${url} failed: ${last}`);
}

const q = encodeURIComponent;
const statsUrl = (base: string, machineId: string, startMs: number, endMs: number) =>
  `${base}/stats?machineId=${q(machineId)}&start=${q(iso(startMs))}&end=${q(iso(endMs))}`;

/** Per machine, the whole day's eventsCount/defectsCount as the API answers them now. */
export async function dayTotals(base: string, machines: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const m of machines) {
    const r = await getJson(statsUrl(base, m, DAY_START_MS, DAY_END_MS), 10_000);
    if (r.status !== 200) throw new Error(`GET /stats ${r.status}`);
    const b = r.body as MachineStatsAnswer;
    parts.push(`${b.eventsCount}/${b.defectsCount}`);
  }
  return parts.join(' ');
}

export type Quiescence = { converged: boolean; ms: number; polls: number; last: string; expected: string };

/**
 * Polls the whole-day totals of every machine until they equal the truth on `confirmPolls`
 * consecutive polls, or stop changing for `stallMs` (then the comparison will show what differs),
 * or `timeoutMs` passes.
 */
export async function waitForQuiescence(input: {
  base: string;
  machines: readonly string[];
  truth: ExpectedState;
  timeoutMs: number;
  stallMs: number;
  confirmPolls?: number;
  log: (line: string) => void;
}): Promise<Quiescence> {
  const expected = input.machines
    .map((m) => {
      const s = input.truth.machineStats(m, DAY_START_MS, DAY_END_MS);
      return `${s.eventsCount}/${s.defectsCount}`;
    })
    .join(' ');
  const t0 = Date.now();
  let last = '';
  let lastChange = Date.now();
  let equalPolls = 0;
  let polls = 0;
  let lastLog = 0;
  while (Date.now() - t0 < input.timeoutMs) {
    polls++;
    let now = last;
    try {
      now = await dayTotals(input.base, input.machines);
    } catch (err) {
      now = `error: ${(err as Error).message}`;
    }
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    equalPolls = now === expected ? equalPolls + 1 : 0;
    if (equalPolls >= (input.confirmPolls ?? 3))
      return { converged: true, ms: Date.now() - t0, polls, last, expected };
    if (Date.now() - lastChange > input.stallMs) break;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const sum = (s: string) => s.split(' ').reduce((acc, p) => acc + (Number(p.split('/')[0]) || 0), 0);
      input.log(`waiting for the pipeline to settle: ${sum(now)} of ${sum(expected)} events visible`);
    }
    await sleep(1_000);
  }
  return { converged: false, ms: Date.now() - t0, polls, last, expected };
}

/** Asks every machine's stats and every factory's top lines for every window; diffs with the truth. */
export async function checkApi(input: {
  base: string;
  machines: readonly string[];
  factories: readonly string[];
  truth: ExpectedState;
}): Promise<TableDiff[]> {
  const stats = {
    expected: new Map<string, MachineStatsAnswer>(),
    actual: new Map<string, MachineStatsAnswer>(),
  };
  const lines = { expected: new Map<string, TopLine[]>(), actual: new Map<string, TopLine[]>() };
  for (const [startMs, endMs] of WINDOWS) {
    const window = `[${iso(startMs)}, ${iso(endMs)})`;
    for (const m of input.machines) {
      const body = (await getOk(statsUrl(input.base, m, startMs, endMs))) as MachineStatsAnswer;
      const { eventsCount, defectsCount, avgDefectRate, status } = body;
      stats.actual.set(`${m} ${window}`, { eventsCount, defectsCount, avgDefectRate, status });
      stats.expected.set(`${m} ${window}`, input.truth.machineStats(m, startMs, endMs));
    }
    for (const f of input.factories) {
      const url = `${input.base}/stats/top-defect-lines?factoryId=${q(f)}&from=${q(iso(startMs))}&to=${q(iso(endMs))}&limit=1000`;
      lines.actual.set(`${f} ${window}`, (await getOk(url)) as TopLine[]);
      lines.expected.set(`${f} ${window}`, input.truth.topDefectLines(f, startMs, endMs, 1000));
    }
  }
  return [
    diffMaps(
      'GET /stats',
      stats.expected,
      stats.actual,
      (a, b) =>
        a.eventsCount === b.eventsCount &&
        a.defectsCount === b.defectsCount &&
        Math.abs(a.avgDefectRate - b.avgDefectRate) <= 1e-9 * Math.max(1, Math.abs(a.avgDefectRate)) &&
        a.status === b.status,
    ),
    diffMaps(
      'GET /stats/top-defect-lines',
      lines.expected,
      lines.actual,
      (a, b) => JSON.stringify(a) === JSON.stringify(b),
    ),
  ];
}
