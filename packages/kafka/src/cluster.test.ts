import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type ClusterInfo, waitForBroker } from './cluster.ts';

const cluster: ClusterInfo = { clusterId: 'c1', brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }] };

describe('waitForBroker', () => {
  it('asks again until the broker answers, telling the first failure only', async () => {
    let calls = 0;
    const waiting: string[] = [];
    const answer = await waitForBroker(['b:9092'], {
      timeoutMs: 5_000,
      intervalMs: 5,
      onWaiting: (err) => waiting.push(err.message),
      probe: async () => {
        calls++;
        if (calls < 4) throw new Error(`refused ${calls}`);
        return cluster;
      },
    });
    expect(answer).toBe(cluster);
    expect(calls).toBe(4);
    expect(waiting).toEqual(['refused 1']);
  });

  it('answers at once, telling nothing, when the broker is up', async () => {
    const waiting: Error[] = [];
    await expect(
      waitForBroker(['b:9092'], {
        timeoutMs: 0,
        onWaiting: (e) => waiting.push(e),
        probe: async () => cluster,
      }),
    ).resolves.toBe(cluster);
    expect(waiting).toEqual([]);
  });

  it('gives up once the time is up, with the brokers, the attempts and the last failure', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      waitForBroker(['a:1', 'b:2'], {
        timeoutMs: 200,
        intervalMs: 50,
        probe: async () => {
          throw new Error(`refused ${++calls}`);
        },
      }),
    ).rejects.toThrow(/^no broker of a:1,b:2 answered within 200 ms \(\d+ attempts\): refused \d+$/);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('with the real probe, gives up on a loopback port where no broker listens', async () => {
    // A port that was free a moment ago: connections to it are refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    await expect(waitForBroker([`127.0.0.1:${port}`], { timeoutMs: 300, intervalMs: 100 })).rejects.toThrow(
      `no broker of 127.0.0.1:${port} answered within 300 ms`,
    );
  });
});
