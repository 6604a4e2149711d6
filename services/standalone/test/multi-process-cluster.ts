import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type ServiceProcess, spawnService, suiteStreamEnv } from '@shopfloor/test-support';

// The system as separate processes (projector + gateway + N dedupe consumers) on the suite's real
// broker, with topics, groups and a data directory of its own.

export const PARTITIONS = 6;
const JOINED = 'dedupe member joined the group';

export type Reply<T = any> = { status: number; body: T };

export interface Cluster {
  prefix: string;
  dataDir: string;
  projector: ServiceProcess;
  gateway: ServiceProcess;
  consumers: Map<string, ServiceProcess>;
  /** Starts (or restarts, with the same state directory) the consumer called `instanceId`. */
  startConsumer(instanceId: string): Promise<ServiceProcess>;
  post(events: unknown[]): Promise<Reply>;
  get(pathAndQuery: string): Promise<Reply>;
  /** Removes the data directory (the processes must be stopped first). */
  cleanup(): void;
}

export async function startCluster(label: string, consumerIds: string[]): Promise<Cluster> {
  const { prefix, env: streamEnv } = suiteStreamEnv(`mp-${label}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-mp-'));
  const [projectorPort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    ...streamEnv,
    SHOPFLOOR_PARTITIONS: String(PARTITIONS),
    SHOPFLOOR_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
  };
  const projectorUrl = `http://127.0.0.1:${projectorPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

  // The projector creates the topics before it listens; the others start once they exist.
  const projector = spawnService('projector', { ...common, PORT: String(projectorPort) });
  await projector.waitForHttp(`${projectorUrl}/dead-letters?limit=1`, 90_000);

  const consumers = new Map<string, ServiceProcess>();
  const startConsumer = async (instanceId: string) => {
    const c = spawnService(
      'consumer',
      { ...common, SHOPFLOOR_INSTANCE_ID: instanceId, PORT: '0' },
      { label: `consumer ${instanceId}` },
    );
    consumers.set(instanceId, c);
    await c.waitForLog((l) => l.msg === 'dedupe consumer started', 90_000);
    return c;
  };
  // A crash can hold a batch until the dead member's session times out (30 s) and the group
  // rebalances: wait for the final outcome rather than getting a 202 at the default 10 s.
  const gateway = spawnService('gateway', {
    ...common,
    PORT: String(gatewayPort),
    SHOPFLOOR_SYNC_TIMEOUT_MS: '150000',
  });
  await Promise.all([gateway.waitForHttp(`${gatewayUrl}/health`, 90_000), ...consumerIds.map(startConsumer)]);

  const request = async (url: string, init: RequestInit, timeoutMs: number): Promise<Reply> => {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body };
  };
  return {
    prefix,
    dataDir,
    projector,
    gateway,
    consumers,
    startConsumer,
    post: (events) =>
      request(
        `${gatewayUrl}/events/batch`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) },
        170_000,
      ),
    get: (url) => request(`${projectorUrl}${url}`, { method: 'GET' }, 15_000),
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Partitions of the latest group join each service logged, or undefined before its first. */
export function latestAssignment(service: ServiceProcess, fromIndex = 0): number[] | undefined {
  for (let i = service.logs.length - 1; i >= fromIndex; i--) {
    const l = service.logs[i]!;
    if (l.msg === JOINED) return (l.json?.partitions as number[] | undefined) ?? [];
  }
  return undefined;
}

/**
 * Waits until every one of `members` has logged a group join at or after the given log index and
 * their latest assignments split all partitions among them: disjoint, none left out, none empty.
 */
export async function waitForSplit(
  members: { service: ServiceProcess; fromIndex: number }[],
  timeoutMs = 60_000,
): Promise<number[][]> {
  const deadline = Date.now() + timeoutMs;
  let last: (number[] | undefined)[] = [];
  while (Date.now() < deadline) {
    last = members.map((m) => latestAssignment(m.service, m.fromIndex));
    if (last.every((a) => a !== undefined && a.length > 0)) {
      const all = (last as number[][]).flat().sort((a, b) => a - b);
      if (all.length === PARTITIONS && all.every((p, i) => p === i)) return last as number[][];
    }
    for (const m of members) {
      if (!m.service.running) throw new Error(`${m.service.label} exited:\n${m.service.tail()}`);
    }
    await sleep(200);
  }
  throw new Error(
    `partitions not split among ${members.map((m) => m.service.label).join(', ')} within ${timeoutMs} ms; latest: ${JSON.stringify(last)}`,
  );
}

export type RestoreLog = { partition: number; from: string; to: string; records: number; ms: number };

/** The `restored state of partition N from offset X` lines a consumer logged from `fromIndex` on. */
export function restoreLogs(service: ServiceProcess, fromIndex = 0): RestoreLog[] {
  return service.logs
    .slice(fromIndex)
    .filter((l) => l.json && /^restored state of partition \d+ from offset/.test(l.msg))
    .map((l) => l.json as unknown as RestoreLog);
}
