// The key log on the real broker and registry: two followers (two processes' key stores) see a
// key created and revoked through the log, and the revocation reaches both within a measured bound.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKey, issueKey, KeyRing, listKeys, revokeKey } from '@shopfloor/auth';
import { shopfloorTopics } from '@shopfloor/contracts';
import { createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { registryCodecs } from '@shopfloor/schema-registry';
import type {} from '@shopfloor/test-support';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { followKeyLog, type KeyFollower, kafkaKeyLog, startKeyStore } from '../src/index.ts';

const topics = shopfloorTopics(`keys-${randomBytes(4).toString('hex')}.`);
const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'key-log-test', logLevel: 'nothing' });
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
});

async function setup() {
  await ensureTopics(
    kafka,
    shopfloorTopicSpecs(topics, 1).filter((s) => s.topic === topics.keys),
  );
  const codecs = await registryCodecs({ url: inject('schemaRegistryUrl'), topics });
  return { codec: codecs.keys, log: kafkaKeyLog({ kafka, topic: topics.keys, codec: codecs.keys }) };
}

async function follower(codec: Awaited<ReturnType<typeof setup>>['codec']) {
  const ring = new KeyRing();
  const f: KeyFollower = await followKeyLog({
    kafka,
    topic: topics.keys,
    codec,
    onEvent: (e) => ring.apply(e),
  });
  stops.push(() => f.stop());
  return { ring, follower: f };
}

/** Milliseconds until `check` holds, polled every 20 ms, or throws past `boundMs`. */
async function timeUntil(check: () => Promise<boolean>, boundMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return Math.round(performance.now() - started);
    if (performance.now() - started > boundMs) throw new Error(`not within ${boundMs} ms`);
    await sleep(20);
  }
}

describe('the key log on Kafka', () => {
  test('two followers read it from the beginning, then see a new key and a revocation within seconds', async () => {
    const { codec, log } = await setup();
    const early = await createKey(log, { role: 'reader', factories: ['F-1', 'F-2'], label: 'before' });
    const a = await follower(codec);
    const b = await follower(codec);
    await Promise.all([a.follower.caughtUp(), b.follower.caughtUp()]);
    for (const { ring } of [a, b])
      expect(await ring.authenticate(early.token)).toEqual({
        keyId: early.keyId,
        role: 'reader',
        factories: ['F-1', 'F-2'],
      });

    const late = await createKey(log, { role: 'machine', factories: '*' });
    const seen = await Promise.all(
      [a, b].map(({ ring }) => timeUntil(async () => (await ring.authenticate(late.token)) !== null, 5_000)),
    );
    await revokeKey(log, early.keyId);
    const revoked = await Promise.all(
      [a, b].map(({ ring }) => timeUntil(async () => (await ring.authenticate(early.token)) === null, 5_000)),
    );
    // Figures, not assertions on speed: the bound above (5 s) is the promise.
    console.log(
      `key log: new key seen after ${seen.join(' / ')} ms, revocation after ${revoked.join(' / ')} ms`,
    );
    expect((await listKeys(log)).map((k) => k.keyId)).toEqual([late.keyId]);
    expect(await a.ring.authenticate(late.token)).toMatchObject({ role: 'machine', factories: '*' });
  });

  test("a process's key store: the bootstrap key plus the followed keys; loopback without a key is auth off", async () => {
    const { codec, log } = await setup();
    const logged: string[] = [];
    const sink = { info: (m: string) => void logged.push(m), warn: (m: string) => void logged.push(m) };
    const bootstrap = (await issueKey()).token;
    const operator = await createKey(log, { role: 'operator', factories: '*' });
    const store = await startKeyStore(
      { HOST: '0.0.0.0', SHOPFLOOR_BOOTSTRAP_KEY: bootstrap, topics },
      { kafka, codec, log: sink },
    );
    stops.push(() => store.stop());
    expect(store.mode.enabled).toBe(true);
    expect(await store.keys!.authenticate(bootstrap)).toMatchObject({ role: 'operator', factories: '*' });
    expect(await store.keys!.authenticate(operator.token)).toMatchObject({ keyId: operator.keyId });
    const off = await startKeyStore({ HOST: '127.0.0.1', topics }, { kafka, codec, log: sink });
    expect(off).toMatchObject({ mode: { enabled: false }, keys: undefined });
    await expect(startKeyStore({ HOST: '0.0.0.0', topics }, { kafka, codec, log: sink })).rejects.toThrow(
      /API keys are required/,
    );
    const text = logged.join('\n');
    for (const secret of [bootstrap, operator.token, bootstrap.slice(21), operator.token.slice(21)])
      expect(text).not.toContain(secret);
  });
});
