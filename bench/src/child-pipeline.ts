// Child process: the whole pipeline (gateway → Kafka → dedupe → projector → embedded ClickHouse →
// query API) via startShopfloor, configured by the environment the bench gives it. With
// SHOPFLOOR_TOPOLOGY=split, as the start command: the gateway in a process of its own (forked by
// this one, which relays the outcomes to it and its count of waiting requests back to the
// projector), serving the URL the bench loads.
// First, so that what the process maps from here on is charged to the bench's memory cgroup, if any.
import './join-bench-cgroup.ts';
import { loadConfig, v8HeapFlags } from '@shopfloor/config';
import {
  type GatewayProcess,
  RelayedDemand,
  type ShopfloorSystem,
  startGatewayProcess,
  startShopfloor,
} from '@shopfloor/standalone';
import { pino } from 'pino';
import { startAllocationSampler } from './allocation-sampler.ts';
import { announceReady, runChild, serveParent } from './child-protocol.ts';
import { readEngineCounters } from './engine-activity.ts';
import { engineMemory } from './engine-memory.ts';
import { lmdbResidentBytes } from './mapped-memory.ts';

let system: ShopfloorSystem | undefined;
let gateway: GatewayProcess | undefined;
const liveHeapAfterGc = () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed;
};
const allocations = await startAllocationSampler();
serveParent(
  {
    counters: () => {
      if (!system) throw new Error('not started');
      const { restores, ...dedupe } = system.dedupe.counters;
      return {
        dedupe,
        restores: restores.length,
        projector: { ...system.projector.counters },
        assigned: system.dedupe.assigned(),
      };
    },
    // The sensor processor's committed counters (transactions, readings, changelog records).
    sensorCounters: () => ({ ...system?.sensors?.runner()?.counters }),
    // The engine's statements and merges so far (system.events), for a run's engine work.
    engineCounters: () => (system ? readEngineCounters(system.clickhouse) : undefined),
    memory: async () => ({
      ...process.memoryUsage(),
      engine: system ? await engineMemory(system.clickhouse) : undefined,
      // With BENCH_CHILD_NODE_ARGS=--expose-gc: the heap still reachable after a full collection,
      // which tells live data from garbage V8 has not collected yet.
      heapLiveAfterGc: liveHeapAfterGc(),
      lmdbResident: lmdbResidentBytes(),
    }),
  },
  async () => {
    await allocations?.stop();
    await gateway?.stop();
    await system?.stop();
  },
);
await runChild(async () => {
  const config = loadConfig(process.env);
  const log = pino({ name: 'bench-pipeline', level: config.LOG_LEVEL });
  if (config.SHOPFLOOR_TOPOLOGY === 'single') {
    system = await startShopfloor(config, log, { demo: false });
    announceReady(system.url, { partitions: config.SHOPFLOOR_PARTITIONS, topology: 'single' });
    return;
  }
  // The gateway process's count of waiting requests, for the projector's window (as the supervisor relays it).
  const demand = new RelayedDemand();
  system = await startShopfloor(config, log, {
    demo: false,
    externalGateway: { onOutcomes: (records) => gateway?.deliver(records), demand },
  });
  gateway = await startGatewayProcess({
    upstreamUrl: system.url,
    queryThread: system.queryThread,
    env: process.env,
    heapFlags: v8HeapFlags(config),
    log,
    onGiveUp: (reason) => log.error(reason),
    onDemand: (waiting) => demand.update(waiting),
  });
  announceReady(gateway.url, {
    partitions: config.SHOPFLOOR_PARTITIONS,
    topology: 'split',
    gatewayPid: gateway.pid(),
  });
});
