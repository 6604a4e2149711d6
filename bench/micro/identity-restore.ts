// What the identity packs change in a restore: the sensor processor's restore of N seen identities
// from sensor.reading-identities, written one record per identity (as before the packs, and still
// with a state horizon) or in packs of P (a transaction's new identities: ~170 at the alert rate),
// each restored by a real member (startSensorRunner: the stream runner's restore, Avro decoding,
// LMDB identity stores as the service keeps them) and timed by its own restore report. Interleaved
// rounds; CPU of this process (the member) and of the broker JVM, from /proc.
// `pnpm exec tsx bench/micro/identity-restore.ts [identities 300000] [pack 170] [rounds 3]`.
// Starts a broker of its own (stopped at the end, also on failure); loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@shopfloor/config';
import {
  loadSensorAvroSchema,
  SENSOR_AVRO_SCHEMA_FILES,
  type SensorAvroRecordKind,
} from '@shopfloor/contracts';
import { createIdempotentProducer, createKafka, ensureTopics } from '@shopfloor/kafka';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { fixedSchemaCodec } from '@shopfloor/schema-registry';
import { SENSOR_WIRE_VERSION, type SensorStateRecord } from '@shopfloor/sensors';
import {
  lmdbIdentityStores,
  type SensorCodecs,
  sensorTopicSpecsOf,
  sensorTopics,
  startSensorRunner,
} from '@shopfloor/sensors-service';
import { pino } from 'pino';
import { findProcess, processCpuSeconds } from '../src/proc-sampler.ts';
import { benchIdentity, FIRST_READING_MS } from './bench-identities.ts';

const n = Number(process.argv[2] ?? 300_000);
const pack = Number(process.argv[3] ?? 170);
const rounds = Number(process.argv[4] ?? 3);
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const say = (line: string) => process.stdout.write(`[identity-restore] ${line}\n`);

// The checked-in schemas with fixed ids: Avro as the service writes it, no registry needed.
const codecs = Object.fromEntries(
  (Object.keys(SENSOR_AVRO_SCHEMA_FILES) as SensorAvroRecordKind[]).map((kind, i) => [
    kind,
    fixedSchemaCodec(loadSensorAvroSchema(kind), i + 1),
  ]),
) as unknown as SensorCodecs;
// One schema for both changelogs, as the registry has it: a restore reads both with the state codec.
codecs.identities = codecs.state;

const dir = mkdtempSync(path.join(tmpdir(), 'identity-restore-'));
const broker = await startLocalKafka({ dataDir: path.join(dir, 'kafka') });
say(`broker on ${broker.brokers.join(',')}`);
const brokerPid = findProcess(broker.pid, 'java');
const kafka = createKafka({ brokers: broker.brokers, clientId: 'identity-restore' });
try {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const value = (record: SensorStateRecord) => codecs.identities.encode(record);
  const empty = { v: SENSOR_WIRE_VERSION, window: null, slots: null, readingTs: null, identities: null };
  /** The N identities as one record each, or as packs: what each form's topic holds. */
  const messagesOf = (packed: boolean) => {
    const out: { key: string; value: Buffer }[] = [];
    if (!packed) {
      for (let i = 0; i < n; i++)
        out.push({ key: benchIdentity(i), value: value({ ...empty, readingTs: FIRST_READING_MS + i }) });
      return out;
    }
    for (let i = 0; i < n; i += pack) {
      const identities = [];
      for (let j = i; j < Math.min(n, i + pack); j++)
        identities.push({ key: benchIdentity(j), readingTs: FIRST_READING_MS + j });
      out.push({ key: `p\u001f${identities[0]!.key}`, value: value({ ...empty, identities }) });
    }
    return out;
  };
  const forms = { single: messagesOf(false), packed: messagesOf(true) };
  const results: Record<string, { seconds: number[]; member: number[]; broker: number[] }> = {
    single: { seconds: [], member: [], broker: [] },
    packed: { seconds: [], member: [], broker: [] },
  };
  for (let round = 1; round <= rounds; round++) {
    for (const form of ['single', 'packed'] as const) {
      const topics = sensorTopics(`r${round}-${form}.`);
      const config = loadConfig({ SHOPFLOOR_SENSOR_PARTITIONS: '1' });
      await ensureTopics(kafka, sensorTopicSpecsOf(topics, config));
      const messages = forms[form];
      for (let i = 0; i < messages.length; i += 2_000)
        await producer.send({ topic: topics.identities, acks: -1, messages: messages.slice(i, i + 2_000) });
      say(`round ${round} ${form}: ${messages.length} records written; restoring`);
      const stores = lmdbIdentityStores(path.join(dir, `lmdb-${round}-${form}`));
      let restored: { records: number; seconds: number } | undefined;
      const cpu0 = { member: process.cpuUsage(), broker: processCpuSeconds(brokerPid) };
      const runner = await startSensorRunner({
        kafka,
        codecs,
        topics,
        groupId: `identity-restore-${round}-${form}`,
        partitions: 1,
        detector: config.sensors.detector,
        identities: stores,
        log,
        metrics: {
          readingsPublished: () => {},
          batchCommitted: () => {},
          alertReached: () => {},
          processor: {
            stateRestored: (r) => {
              restored = r;
            },
            sampleRestoreProgress: () => {},
          },
        },
      });
      const deadline = Date.now() + 600_000;
      while (restored === undefined && Date.now() < deadline) await sleep(20);
      const used = process.cpuUsage(cpu0.member);
      const member = (used.user + used.system) / 1e6;
      const brokerCpu = processCpuSeconds(brokerPid) - cpu0.broker;
      const held = runner.seenIdentities();
      await runner.stop();
      await stores.close();
      if (restored === undefined || held !== n)
        throw new Error(`${form}: restored ${held} of ${n} identities`);
      results[form]!.seconds.push(restored.seconds);
      results[form]!.member.push(member);
      results[form]!.broker.push(brokerCpu);
      say(
        `round ${round} ${form}: ${messages.length} records, restore ${restored.seconds.toFixed(2)} s, CPU member ${member.toFixed(2)} s, broker ${brokerCpu.toFixed(2)} s`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const us = (s: number) => ((s / n) * 1e6).toFixed(2);
  for (const form of ['single', 'packed'] as const) {
    const r = results[form]!;
    say(
      `${form}: restore ${us(median(r.seconds))} us/identity (median of ${rounds}), CPU member ${us(median(r.member))}, broker ${us(median(r.broker))} us/identity`,
    );
  }
  say(
    `packed / single: restore ${(median(results.packed!.seconds) / median(results.single!.seconds)).toFixed(2)}x, member CPU ${(median(results.packed!.member) / median(results.single!.member)).toFixed(2)}x`,
  );
  await producer.disconnect();
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
