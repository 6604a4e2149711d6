import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@shopfloor/config';
import { settleWithin } from '@shopfloor/contracts';
import { suiteStreamEnv } from '@shopfloor/test-support';
import { type Level, type Logger, multistream, pino } from 'pino';
import { type ShopfloorSystem, startShopfloor } from '../src/index.ts';

export type Reply<T = unknown> = { status: number; body: T; headers: Headers };

export interface TestSystem extends ShopfloorSystem {
  prefix: string;
  dataDir: string;
  post(
    events: unknown,
    options?: { query?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<Reply<any>>;
  get(pathAndQuery: string): Promise<Reply<any>>;
  close(): Promise<void>;
}

/** How long the system may take to start, and a request to answer, before the test says where it hung. */
const START_TIMEOUT_MS = 150_000;
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The system's logger: warnings (or TEST_LOG_LEVEL) on stdout as before, and its last 200 lines at
 * info kept in memory, so that a start or a request that hangs fails with what the system did last
 * (a beforeAll that timed out used to leave nothing to go on).
 */
function systemLogger() {
  const lines: string[] = [];
  const ring = {
    write(line: string) {
      lines.push(line);
      if (lines.length > 200) lines.shift();
    },
  };
  const shown = process.env.TEST_LOG_LEVEL ?? 'warn';
  const level = shown === 'debug' || shown === 'trace' ? shown : 'info';
  const log = pino(
    { level },
    multistream([
      { level: 'info', stream: ring },
      { level: shown as Level, stream: process.stdout },
    ]),
  );
  return { log, tail: () => lines.slice(-40).join('') };
}

/** `work`, or past `ms` an error naming `what`, with the system's last log lines. */
async function within<T>(what: string, ms: number, work: Promise<T>, tail: () => string): Promise<T> {
  return settleWithin(
    work,
    ms,
    () => new Error(`${what}: no answer within ${ms} ms; the system's last log lines:\n${tail()}`),
  );
}

/**
 * Starts the whole system in this test process against the suite's real broker, with topics,
 * groups and data of its own, so test files never see each other's events.
 */
export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  const { prefix, env: streamEnv } = suiteStreamEnv('e2e');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-e2e-'));
  const config = loadConfig({
    ...streamEnv,
    SHOPFLOOR_SENSOR_PARTITIONS: '2',
    SHOPFLOOR_DATA_DIR: dataDir,
    SHOPFLOOR_PARTITIONS: '3',
    PORT: '0',
    SHOPFLOOR_DEMO: '0',
    ...env,
  });
  let system: ShopfloorSystem;
  const { log, tail } = systemLogger();
  try {
    system = await within('starting the system', START_TIMEOUT_MS, startShopfloor(config, log), tail);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const request = async (method: string, url: string, init: RequestInit = {}): Promise<Reply> => {
    const answer = fetch(`${system.url}${url}`, { method, ...init }).then(async (res) => ({
      res,
      text: await res.text(),
    }));
    // A member that stopped for good fails the request at once, naming it (the main would exit).
    const memberStopped = system.stopped.then(({ member, reason }) => {
      throw new Error(`${method} ${url}: the ${member} stopped for good: ${reason.message}`);
    });
    const { res, text } = await within(
      `${method} ${url}`,
      REQUEST_TIMEOUT_MS,
      Promise.race([answer, memberStopped]),
      tail,
    );
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };
  return {
    ...system,
    prefix,
    dataDir,
    post: (events, options = {}) =>
      request('POST', `/events/batch${options.query ?? ''}`, {
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.raw ?? JSON.stringify(events),
      }) as Promise<Reply<any>>,
    get: (url) => request('GET', url) as Promise<Reply<any>>,
    async close() {
      try {
        await system.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

let counter = 0;
/** Ids unique to one test, so tests sharing a system never count each other's events. */
export function ids(label: string) {
  const tag = `${label}-${++counter}-${randomBytes(3).toString('hex')}`;
  return {
    event: (n: number | string) => `${tag}-e${n}`,
    machine: (n: number | string = 1) => `${tag}-M${n}`,
    line: (n: number | string = 1) => `${tag}-L${n}`,
    factory: (n: number | string = 1) => `${tag}-F${n}`,
  };
}

/** A logger for a demo producer under test, and the answers it logged (its `answer` fields, in order). */
export function demoAnswerLog(): { log: Logger; answers(): Array<Record<string, number>> } {
  const lines: string[] = [];
  return {
    log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
    answers: () =>
      lines
        .map((line) => JSON.parse(line) as { answer?: Record<string, number> })
        .flatMap((l) => (l.answer ? [l.answer] : [])),
  };
}
