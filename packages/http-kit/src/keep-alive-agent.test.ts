import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { keepAliveAgent } from './keep-alive-agent.ts';

describe('keepAliveAgent', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  /** A server that answers 'ok' with the given keep-alive timeout, and counts its connections. */
  const serve = async (keepAliveTimeout: number) => {
    const server = createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = keepAliveTimeout;
    servers.push(server);
    const seen = { connections: 0 };
    server.on('connection', () => seen.connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, seen };
  };
  const fetchWith = (agent: ReturnType<typeof keepAliveAgent>, port: number) =>
    new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      }).on('error', reject);
    });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // A pooled socket reused just as the server closes it for idleness fails with ECONNRESET.
  test("reuses a fresh connection and drops an idle one a second before the server's keep-alive timeout", async () => {
    const { port, seen } = await serve(2_500);
    const agent = keepAliveAgent({ serverKeepAliveMs: 2_500, maxSockets: 4 });
    try {
      expect(await fetchWith(agent, port)).toBe('ok');
      await sleep(200);
      expect(await fetchWith(agent, port)).toBe('ok');
      expect(seen.connections).toBe(1);
      // Idle 1.8 s: past the agent's 1.5 s, within the server's 2.5 s; the agent closed it first.
      await sleep(1_800);
      expect(Object.keys(agent.freeSockets)).toEqual([]);
      expect(await fetchWith(agent, port)).toBe('ok');
      expect(seen.connections).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  test('a server timeout no longer than the margin gives a connection per request', async () => {
    const { port, seen } = await serve(1_000);
    const agent = keepAliveAgent({ serverKeepAliveMs: 1_000, maxSockets: 4 });
    try {
      expect(await fetchWith(agent, port)).toBe('ok');
      expect(await fetchWith(agent, port)).toBe('ok');
      expect(seen.connections).toBe(2);
    } finally {
      agent.destroy();
    }
  });
});
