// The events pipeline as separate service mains (projector + gateway + N dedupe consumers), like
// the multi-process e2e test and README "Running the services separately", on the bench's broker
// and registry, with topics, groups and a data directory of its own per topology.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type ServiceProcess, spawnService } from '@shopfloor/test-support/service-process';
import { systemEnvUnder } from '@shopfloor/test-support/system-env';

export interface Topology {
  gatewayUrl: string;
  projectorUrl: string;
  projector: ServiceProcess;
  gateway: ServiceProcess;
  /** The dedupe consumers with their probe URL (GET /metrics). */
  consumers: { label: string; service: ServiceProcess; url: string }[];
  stop(): Promise<void>;
}

export type TopologySpec = {
  brokers: string[];
  schemaRegistryUrl: string;
  prefix: string;
  dataDir: string;
  partitions: number;
  dedupeProcesses: number;
};

const JOINED = 'dedupe member joined the group';

export async function startTopology(spec: TopologySpec): Promise<Topology> {
  const common = {
    ...systemEnvUnder(spec.prefix, spec),
    SHOPFLOOR_PARTITIONS: String(spec.partitions),
    SHOPFLOOR_DATA_DIR: spec.dataDir,
    // info: the consumers' start and group-join lines are what the start-up waits for.
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
  };
  const started: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop('SIGTERM', 30_000)));
  };
  try {
    const [projectorPort, gatewayPort] = [await freePort(), await freePort()];
    const projectorUrl = `http://127.0.0.1:${projectorPort}`;
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    // The projector creates the topics before it listens; the others start once they exist.
    const projector = spawnService('projector', { ...common, PORT: String(projectorPort) });
    started.push(projector);
    await projector.waitForHttp(`${projectorUrl}/dead-letters?limit=1`, 240_000);
    const gateway = spawnService('gateway', { ...common, PORT: String(gatewayPort) });
    started.push(gateway);
    const consumers = Array.from({ length: spec.dedupeProcesses }, (_, i) => {
      const label = `dedupe-${i + 1}`;
      const service = spawnService(
        'consumer',
        { ...common, SHOPFLOOR_INSTANCE_ID: label, PORT: '0' },
        { label: `consumer ${label}` },
      );
      started.push(service);
      return { label, service };
    });
    await gateway.waitForHttp(`${gatewayUrl}/health`, 240_000);
    const withUrls = await Promise.all(
      consumers.map(async (c) => {
        const line = await c.service.waitForLog((l) => l.msg === 'dedupe consumer started', 240_000);
        return { ...c, url: String(line.json?.url) };
      }),
    );
    await waitForSplit(
      withUrls.map((c) => c.service),
      spec.partitions,
    );
    return { gatewayUrl, projectorUrl, projector, gateway, consumers: withUrls, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits until the consumers' latest group joins split every partition among them, none empty. */
async function waitForSplit(members: ServiceProcess[], partitions: number, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  const latest = (s: ServiceProcess) =>
    s.logs.findLast((l) => l.msg === JOINED)?.json?.partitions as number[] | undefined;
  while (Date.now() < deadline) {
    const split = members.map(latest);
    const all = split.flatMap((a) => a ?? []).sort((a, b) => a - b);
    if (split.every((a) => a && a.length > 0) && all.length === partitions && all.every((p, i) => p === i))
      return split as number[][];
    for (const m of members) if (!m.running) throw new Error(`${m.label} exited:\n${m.tail()}`);
    await sleep(250);
  }
  throw new Error(`partitions not split among ${members.length} dedupe processes within ${timeoutMs} ms`);
}

export const topologyDataDir = (workDir: string, processes: number) =>
  path.join(workDir, `scaling-${processes}`);
