// A service main started before its broker (a supervisor restarting it while the broker restarts,
// a stack whose containers start at once) waits for it (SHOPFLOOR_BROKER_WAIT_MS) and starts once
// it answers; past the wait it exits 2 saying why. The broker is the suite's real one, reached
// through a TCP forwarder on a port that refuses connections until the test opens it.

import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server } from 'node:net';
import { sampleEvent } from '@shopfloor/contracts/testing';
import { freePort, type ServiceProcess, spawnService } from '@shopfloor/test-support';
import { afterAll, describe, expect, inject, test } from 'vitest';

const started: ServiceProcess[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const p of started.splice(0)) await p.stop();
  for (const s of servers.splice(0)) s.close();
});

/** Forwards every connection to `port` on to the suite's broker (its bootstrap only: the
 * metadata then names the broker's own address). */
function forwardToBroker(port: number): Promise<void> {
  const [host, brokerPort] = inject('kafkaBrokers')[0]!.split(':');
  const server = createServer((client) => {
    const upstream = createConnection({ host: host!, port: Number(brokerPort) });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

const waitingLine = (l: { msg: string }) => l.msg.startsWith('no broker answers yet');

describe('a service main started before its broker', () => {
  test('waits, telling so once, and starts when the broker answers', async () => {
    const brokerPort = await freePort();
    const port = await freePort();
    const gateway = spawnService('gateway', {
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: `127.0.0.1:${brokerPort}`,
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: `broker-wait-${randomBytes(4).toString('hex')}.`,
      SHOPFLOOR_PARTITIONS: '1',
      SHOPFLOOR_BROKER_WAIT_MS: '60000',
      LOG_LEVEL: 'info',
    });
    started.push(gateway);
    const waiting = await gateway.waitForLog(waitingLine, 90_000);
    expect(waiting.json).toMatchObject({ level: 40, brokers: [`127.0.0.1:${brokerPort}`] });
    // Still waiting two seconds later (not exited), and it said so once.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(gateway.running).toBe(true);
    await forwardToBroker(brokerPort);
    const url = `http://127.0.0.1:${port}`;
    await gateway.waitForHttp(`${url}/health`, 90_000);
    const res = await fetch(`${url}/events/batch?mode=async`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([sampleEvent('broker-wait-1')]),
    });
    expect(res.status).toBe(202);
    expect(gateway.logs.filter(waitingLine)).toHaveLength(1);
  }, 240_000);

  test('past SHOPFLOOR_BROKER_WAIT_MS it exits 2, naming the brokers and the wait', async () => {
    const brokerPort = await freePort();
    const gateway = spawnService('gateway', {
      HOST: '127.0.0.1',
      PORT: '0',
      KAFKA_BROKERS: `127.0.0.1:${brokerPort}`,
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: `broker-wait-${randomBytes(4).toString('hex')}.`,
      SHOPFLOOR_BROKER_WAIT_MS: '3000',
      LOG_LEVEL: 'info',
    });
    started.push(gateway);
    expect((await gateway.exited).code).toBe(2);
    expect(gateway.tail(5)).toContain(
      `gateway not started: no broker of 127.0.0.1:${brokerPort} answered within 3000 ms`,
    );
  }, 120_000);
});
