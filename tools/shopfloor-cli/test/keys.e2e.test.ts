// API keys through the key log on the whole system: `shopfloor keys` creates keys that the running
// process follows, a machine key's scope on events, a reader key's scope on /stats, revocation,
// and the logs (at debug level) never holding a key, a secret or a hash.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { issueKey, listKeys } from '@shopfloor/auth';
import { loadConfig } from '@shopfloor/config';
import { shopfloorTopics } from '@shopfloor/contracts';
import { createKafka } from '@shopfloor/kafka';
import { kafkaKeyLog } from '@shopfloor/key-log';
import { type ShopfloorSystem, startShopfloor } from '@shopfloor/standalone';
import type {} from '@shopfloor/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createCliContext } from '../src/cli-context.ts';
import { buildProgram } from '../src/commands.ts';
import { suiteSystemEnv } from './system-env.ts';

const { prefix, env, removeDataDir } = suiteSystemEnv('keys', { partitions: 2 });
let sys: ShopfloorSystem;
let bootstrap: string;
const logLines: string[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

beforeAll(async () => {
  bootstrap = (await issueKey()).token;
  sys = await startShopfloor(loadConfig({ ...env, SHOPFLOOR_BOOTSTRAP_KEY: bootstrap }), logger, {
    demo: false,
  });
});
afterAll(async () => {
  try {
    await sys?.stop();
  } finally {
    removeDataDir();
  }
});

const ids = (tag = randomBytes(3).toString('hex')) => ({
  event: (n: number) => `${tag}-e${n}`,
  machine: (n = 1) => `${tag}-M${n}`,
  line: () => `${tag}-L1`,
  factory: (n: number) => `${tag}-F${n}`,
});

async function post(events: unknown[], key: string) {
  const res = await fetch(`${sys.url}/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(events),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** `shopfloor <args>` against this system's broker and registry; returns what it printed. */
async function shopfloor(...args: string[]): Promise<string> {
  const out: string[] = [];
  await buildProgram((o) => createCliContext(o, env, (line) => out.push(line))).parseAsync([
    'node',
    'shopfloor',
    ...args,
  ]);
  return out.join('\n');
}
const tokenIn = (printed: string) => /sfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(printed)![0];

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, boundMs = 10_000) {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (ok(v)) return { value: v, ms: Date.now() - started };
    if (Date.now() - started > boundMs) throw new Error(`not within ${boundMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stats = (machineId: string, key: string) =>
  fetch(
    `${sys.url}/stats?machineId=${encodeURIComponent(machineId)}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`,
    { headers: { 'x-api-key': key } },
  );

describe('keys from the key log on the running system', () => {
  test('machine key: its factories accepted, another factory OUT_OF_SCOPE and dead-lettered, the rest goes on; reader key: /stats of a machine of another factory 403; revoke: 401 within seconds; nothing secret logged', async () => {
    const id = ids();
    const [f1, f2] = [id.factory(1), id.factory(2)];
    const machine = tokenIn(
      await shopfloor('keys', 'create', '--role', 'machine', '--factory', f1, '--label', 'vendor A'),
    );
    const reader = tokenIn(await shopfloor('keys', 'create', '--role', 'reader', '--factory', f1));
    const event = (n: number, factoryId: string, machineId = id.machine(1)) => ({
      eventId: id.event(n),
      eventTime: '2026-03-01T10:00:00Z',
      machineId,
      lineId: id.line(),
      factoryId,
      durationMs: 5,
      defectCount: 1,
    });
    // The process follows the log: the new key works once the follower has read it.
    const first = await until(
      () => post([event(1, f1), event(2, f2), event(3, f1)], machine),
      (r) => r.status === 200,
    );
    console.log(
      `first batch with a key from \`shopfloor keys create\`: 200 after ${first.ms} ms (key followed + batch outcome)`,
    );
    expect(first.value.body).toMatchObject({
      accepted: 2,
      rejected: 1,
      rejections: [{ eventId: id.event(2), reason: 'OUT_OF_SCOPE' }],
    });
    const dead = await until(
      () =>
        fetch(`${sys.url}/dead-letters?batchId=${first.value.body.batchId}`, {
          headers: { 'x-api-key': bootstrap },
        }).then((r) => r.json() as Promise<{ eventId: string; reason: string }[]>),
      (rows) => rows.length === 1,
    );
    expect(dead.value[0]).toMatchObject({ eventId: id.event(2), reason: 'OUT_OF_SCOPE' });
    // The HTTP commands send --api-key (or SHOPFLOOR_API_KEY, or the bootstrap key of the config).
    const batchId = first.value.body.batchId as string;
    const listedDead = await shopfloor(
      '--url',
      sys.url,
      '--api-key',
      bootstrap,
      'dead-letters',
      'list',
      '--batch',
      batchId,
      '--json',
    );
    expect(JSON.parse(listedDead)).toMatchObject([{ eventId: id.event(2), reason: 'OUT_OF_SCOPE' }]);
    await expect(shopfloor('--url', sys.url, 'dead-letters', 'list', '--batch', batchId)).rejects.toThrow(
      /answered 401/,
    );

    // M-2 has events in f2 (posted by the operator): outside the reader key.
    const other = await post([event(4, f2, id.machine(2))], bootstrap);
    expect(other.body).toMatchObject({ accepted: 1 });
    const own = await until(
      () => stats(id.machine(1), reader),
      (r) => r.status === 200,
    );
    expect(await own.value.json()).toMatchObject({ eventsCount: 2 });
    const forbidden = await stats(id.machine(2), reader);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { code: string }).code).toBe('MACHINE_OUT_OF_SCOPE');
    expect((await stats(id.machine(2), bootstrap)).status).toBe(200);

    const listed = await shopfloor('keys', 'list', '--json');
    const keys = JSON.parse(listed) as { keyId: string; role: string }[];
    const machineKeyId = machine.slice(4, 20);
    expect(keys.map((k) => k.keyId)).toContain(machineKeyId);
    expect(listed).not.toContain(machine.slice(21));
    expect(listed).not.toMatch(/hash|salt/);

    expect(await shopfloor('keys', 'revoke', machineKeyId)).toContain('revoked');
    const revoked = await until(
      () => post([event(5, f1)], machine),
      (r) => r.status === 401,
      5_000,
    );
    console.log(`a revoked key was refused after ${revoked.ms} ms`);

    // Never logged: no token, no secret, no salt or hash of any key (debug level, whole run).
    const kafka = createKafka({
      brokers: inject('kafkaBrokers'),
      clientId: 'keys-test',
      logLevel: 'nothing',
    });
    const log = kafkaKeyLog({ kafka, topic: shopfloorTopics(prefix).keys, codec: sys.codecs.keys });
    const stored = (await log.readAll()).flatMap((e) => (e.type === 'created' ? [e.salt, e.hash] : []));
    expect(stored.length).toBeGreaterThanOrEqual(4);
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [
      bootstrap,
      machine,
      reader,
      ...[bootstrap, machine, reader].map((t) => t.slice(21)),
      ...stored,
    ])
      expect(text).not.toContain(secret);
    expect((await listKeys(log)).some((k) => k.keyId === machineKeyId)).toBe(false);
  });
});
