// A process one of whose consumer-group members stops for good exits 1, for its supervisor to
// restart it, instead of serving HTTP (and `/ready`) while consuming nothing. Seen in `pnpm chaos`:
// a metric-events processor stopped by a kafkajs error during a broker restart, its process up for
// minutes after, 166 events never projected. The stop here is the bad-record policy `stop`: one
// undecodable record on a member's input topic. Real broker and registry (the suite's), embedded
// ClickHouse, the mains as their own processes.
import { createKafka } from '@shopfloor/kafka';
import {
  freePort,
  type ServiceName,
  spawnService,
  stopAllServices,
  suiteStreamEnv,
  trackedAllInOnes,
  waitForLogLine,
} from '@shopfloor/test-support';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { afterAll, describe, expect, inject, test } from 'vitest';

const dirs = tempDirs('shopfloor-member-stop-');
const tempDir = dirs.make;
const systems = trackedAllInOnes(() => {});
afterAll(async () => {
  await stopAllServices();
  dirs.removeAll();
});

/** Bytes no codec of ours decodes (no registry framing): an undecodable record. */
async function writeUndecodableRecord(topic: string): Promise<void> {
  const producer = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'member-stop-test' }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'bad', value: Buffer.from('not a record') }] });
  } finally {
    await producer.disconnect();
  }
}

describe('a service process whose member stops for good exits 1', () => {
  const cases: { service: ServiceName; input: (prefix: string) => string; member: string }[] = [
    { service: 'consumer', input: (p) => `${p}events.raw`, member: 'dedupe consumer' },
    { service: 'projector', input: (p) => `${p}events.change-batches`, member: 'projector' },
    { service: 'sensors', input: (p) => `${p}sensor.reading-batches`, member: 'sensor projector' },
  ];
  test.each(cases)('$service: $member', async ({ service, input, member }) => {
    const { prefix, env } = suiteStreamEnv(`stop-${service}`);
    const port = await freePort();
    const main = spawnService(service, {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      SHOPFLOOR_DATA_DIR: tempDir(),
      SHOPFLOOR_PARTITIONS: '2',
      SHOPFLOOR_BAD_RECORD_POLICY: 'stop',
      LOG_LEVEL: 'info',
    });
    await main.waitForHttp(`http://127.0.0.1:${port}/health`, 120_000);
    expect(main.running).toBe(true);

    await writeUndecodableRecord(input(prefix));
    const line = await main.waitForLog(
      (l) =>
        l.msg.endsWith('stopped for good: stopping the process (exit 1) for its supervisor to restart it'),
      90_000,
    );
    expect(line.json).toMatchObject({ member });
    expect(await main.exited).toEqual({ code: 1, signal: null });
  });

  test('consumer: a second process on the same data dir and instance id fences the first, which exits 1 saying why', async () => {
    const { env } = suiteStreamEnv('stop-duplicate');
    const common = {
      ...env,
      HOST: '127.0.0.1',
      PORT: '0',
      SHOPFLOOR_DATA_DIR: tempDir(),
      SHOPFLOOR_PARTITIONS: '2',
      LOG_LEVEL: 'info',
    };
    const older = spawnService('consumer', common, { label: 'older consumer' });
    await older.waitForLog((l) => l.msg === 'dedupe member joined the group', 120_000);
    const newer = spawnService('consumer', common, { label: 'newer consumer' });
    await newer.waitForLog((l) => l.msg === 'dedupe member joined the group', 120_000);

    const line = await older.waitForLog((l) => l.msg.includes('stopped for good'), 90_000);
    expect(line.json).toMatchObject({ member: 'dedupe consumer' });
    expect(JSON.stringify(line.json)).toContain(
      "another process joined the group with this process's member id (the same SHOPFLOOR_DATA_DIR and SHOPFLOOR_INSTANCE_ID)",
    );
    expect(await older.exited).toEqual({ code: 1, signal: null });
    expect(newer.running).toBe(true);
  });

  test('the start command: the pipeline process exits 1, and the supervisor stops everything with 1', async () => {
    const { prefix, env } = suiteStreamEnv('stop-all-in-one');
    const port = await freePort();
    const system = systems.spawn({
      ...env,
      SHOPFLOOR_DATA_DIR: tempDir(),
      SHOPFLOOR_DEMO: '0',
      SHOPFLOOR_SENSORS: '0',
      SHOPFLOOR_BAD_RECORD_POLICY: 'stop',
      PORT: String(port),
    });
    await waitForLogLine(system, (l) => l.msg?.startsWith('Shopfloor is up on') ?? false, 240_000);

    await writeUndecodableRecord(`${prefix}events.change-batches`);
    const stoppedLine = await waitForLogLine(system, (l) => l.member === 'projector', 90_000);
    expect(stoppedLine.msg).toContain('stopped for good');
    await waitForLogLine(system, (l) => l.msg === 'the pipeline process exited: stopping everything', 60_000);
    expect(await system.exited).toBe(1);
  });
});
