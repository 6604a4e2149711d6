// The scaling section: the events pipeline with 1, 2, 3... separate dedupe processes beside one
// gateway and one projector, the same async load on each topology, and per dedupe process the
// events it decided per CPU-second of its own (from /proc): a process's work is its partitions'
// keyed state, so that figure should stay flat as processes are added.
import { rmSync } from 'node:fs';
import type { ChildHandle } from './children.ts';
import { cpuPerEventText } from './cpu-per-event.ts';
import { HttpClient } from './http-client.ts';
import { type IngestResult, measureIdle, runIngest, warmUp } from './ingest.ts';
import { promSum } from './prometheus-text.ts';
import { startTopology, type Topology, topologyDataDir } from './scaling-topology.ts';
import { round } from './stats.ts';
import type { BenchContext, DedupeCount, SystemUnderTest } from './system-under-test.ts';

export type DedupeProcessFigures = {
  label: string;
  partitions: number;
  decided: number;
  cpuSeconds: number;
  /**
   * Events this process decided per CPU-second it spent (all its threads), fixed costs included:
   * its idle CPU in the short quiet window is a few 10 ms ticks, too coarse to subtract per process.
   */
  eventsPerCpuSecond: number;
  rssMiBMax: number;
};

export type ScalingResult = {
  dedupeProcesses: number;
  partitions: number;
  ingest: IngestResult;
  dedupe: DedupeProcessFigures[];
  /** Sum over the dedupe processes: decided events / their CPU-seconds. */
  dedupeEventsPerCpuSecond: number;
  /** CPU us/event of the gateway, the projector and the dedupe processes together (no broker). */
  servicesUsPerEvent: number;
};

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return res.text();
}

async function decidedPerProcess(t: Topology): Promise<{ records: number; batches: number }[]> {
  return Promise.all(
    t.consumers.map(async (c) => {
      const text = await scrape(c.url);
      return {
        records: promSum(text, 'shopfloor_dedupe_transaction_records_sum'),
        batches: promSum(text, 'shopfloor_dedupe_transaction_records_count'),
      };
    }),
  );
}

/** The HTTP side of a topology as the ingest code sees a system: posts to the gateway, reads from the projector. */
function topologySystem(t: Topology, clients: number): SystemUnderTest {
  const handle: ChildHandle = {
    name: 'topology',
    pid: t.gateway.pid,
    url: t.gatewayUrl,
    info: {},
    logFile: '',
    // The services are mains, not bench children: they answer no IPC (no child memory figures).
    request: () => Promise.reject(new Error('a service main answers no bench requests')),
    stop: async () => {},
  };
  return {
    name: 'pipeline',
    child: handle,
    load: new HttpClient(t.gatewayUrl, Math.max(clients, 1)),
    probe: new HttpClient(t.projectorUrl, 8),
    async dedupeCount(): Promise<DedupeCount> {
      const [perProcess, projector] = await Promise.all([decidedPerProcess(t), scrape(t.projectorUrl)]);
      return {
        records: perProcess.reduce((a, p) => a + p.records, 0),
        batches: perProcess.reduce((a, p) => a + p.batches, 0),
        projected: promSum(projector, 'shopfloor_projector_group_records_sum'),
        ranges: promSum(projector, 'shopfloor_projector_group_partitions_sum'),
      };
    },
  };
}

export async function runScalingSection(
  ctx: BenchContext,
  infra: { brokers: string[]; schemaRegistryUrl: string },
  workDir: string,
): Promise<ScalingResult[]> {
  const { options } = ctx;
  const results: ScalingResult[] = [];
  for (const n of options.scalingProcesses) {
    if (ctx.aborted()) break;
    ctx.progress(
      `[scaling] starting projector + gateway + ${n} dedupe process(es), ${options.partitions} partitions`,
    );
    const dataDir = topologyDataDir(workDir, n);
    const topology = await startTopology({
      ...infra,
      prefix: `${ctx.runTag}-s${n}.`,
      dataDir,
      partitions: options.partitions,
      dedupeProcesses: n,
    });
    const labels = ['gateway', 'projector', ...topology.consumers.map((c) => c.label)];
    ctx.sampler.track('gateway', topology.gateway.pid);
    ctx.sampler.track('projector', topology.projector.pid);
    for (const c of topology.consumers) ctx.sampler.track(c.label, c.service.pid);
    const sut = topologySystem(topology, options.clients);
    const local: BenchContext = { ...ctx };
    try {
      await warmUp(local, sut, options.smoke ? 3 : 10);
      await measureIdle(local, options.smoke ? 3 : 5);
      const before = await decidedPerProcess(topology);
      const ingest = await runIngest(local, sut, {
        name: `scaling-${n}`,
        mode: 'async',
        batchSize: 1000,
        clients: options.clients,
        seconds: options.scalingSeconds,
      });
      const after = await decidedPerProcess(topology);
      const dedupe = topology.consumers.map((c, i): DedupeProcessFigures => {
        const u = ingest.usage[c.label];
        const decided = after[i]!.records - before[i]!.records;
        const cpuSeconds = u?.cpuSeconds ?? 0;
        const joined = c.service.logs.findLast((l) => l.msg === 'dedupe member joined the group');
        return {
          label: c.label,
          partitions: ((joined?.json?.partitions as number[] | undefined) ?? []).length,
          decided,
          cpuSeconds,
          eventsPerCpuSecond: cpuSeconds > 0 ? Math.round(decided / cpuSeconds) : 0,
          rssMiBMax: u?.rssMiBMax ?? 0,
        };
      });
      const decided = dedupe.reduce((a, d) => a + d.decided, 0);
      const dedupeCpu = dedupe.reduce((a, d) => a + d.cpuSeconds, 0);
      const servicesCpu = labels.reduce((a, l) => a + (ingest.usage[l]?.cpuSeconds ?? 0), 0);
      const visible = Math.min(ingest.eventsVisible, ingest.eventsAcked);
      const result: ScalingResult = {
        dedupeProcesses: n,
        partitions: options.partitions,
        ingest,
        dedupe,
        dedupeEventsPerCpuSecond: dedupeCpu > 0 ? Math.round(decided / dedupeCpu) : 0,
        servicesUsPerEvent: visible > 0 ? round((servicesCpu * 1e6) / visible, 1) : 0,
      };
      results.push(result);
      ctx.progress(`[scaling] ${n} dedupe process(es): ${scalingText(result)}`);
    } finally {
      sut.load.close();
      sut.probe.close();
      for (const l of labels) ctx.sampler.untrack(l);
      await topology.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

export function scalingText(r: ScalingResult): string {
  const per = r.dedupe
    .map(
      (d) =>
        `${d.label} (${d.partitions} p.) ${d.decided} ev, ${d.cpuSeconds} CPU-s: ${d.eventsPerCpuSecond} ev/CPU-s, ${d.rssMiBMax} MiB`,
    )
    .join('; ');
  return (
    `${r.ingest.visiblePerSec} ev/s visible; ${cpuPerEventText(r.ingest.cpuPerEvent)}; services ${r.servicesUsPerEvent} us/event; dedupe ` +
    `${r.dedupeEventsPerCpuSecond} ev/CPU-s overall; ${per}`
  );
}
