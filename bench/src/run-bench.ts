import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, v8HeapFlags } from '@shopfloor/config';
import { systemEnvUnder } from '@shopfloor/test-support/system-env';
import { type BenchInfra, startBenchInfra } from './bench-infra.ts';
import { type ChildHandle, startChild } from './children.ts';
import { runFreshness } from './freshness.ts';
import {
  type IngestResult,
  type IngestScenario,
  measureIdle,
  runIngest,
  runSyncLatency,
  warmUp,
} from './ingest.ts';
import { measureMachineSpeed } from './machine-speed.ts';
import { createMemoryCgroup } from './memory-cgroup.ts';
import { runMetricEventsSection } from './metric-events-section.ts';
import type { BenchOptions } from './options.ts';
import { ProcSampler } from './proc-sampler.ts';
import { renderProfile, summarizeProfiles } from './profile-summary.ts';
import { runQuerySection } from './query-section.ts';
import { type BenchResults, buildTable, computeRatios, renderTable } from './report.ts';
import { runScalingSection } from './scaling-section.ts';
import { runSensorsSection } from './sensors-section.ts';
import { type BenchContext, systemUnderTest } from './system-under-test.ts';

export interface BenchIo {
  progress(line: string): void;
  /** Aborting ends every load loop early; what was started is stopped either way. */
  signal?: AbortSignal;
}

export type BenchRun = { results: BenchResults; file: string; tableText: string };

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} (+ uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

function scenarios(options: BenchOptions, seconds: number): IngestScenario[] {
  return (['async', 'sync'] as const).flatMap((mode) =>
    [1000, 100]
      .map((batchSize) => ({
        name: `${mode}-${batchSize}`,
        mode,
        batchSize,
        clients: options.clients,
        seconds,
      }))
      .filter((sc) => options.ingestScenarios.includes(sc.name)),
  );
}

/**
 * Runs the selected sections. The system under test always runs in a child process (the pipeline
 * via startShopfloor, the direct-write baseline, the query store), so the load generator here does
 * not share its event loop; the broker is a JVM of its own. Everything started is stopped in the
 * finally block, also on failure or abort.
 */
export async function runBench(options: BenchOptions, io: BenchIo): Promise<BenchRun> {
  const started = Date.now();
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const runTag = `b${randomBytes(3).toString('hex')}`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'shopfloor-bench-'));
  const profileDir = options.profile ? path.resolve(options.outDir, `profiles-${stamp}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const t0 = performance.now();
  const progress = (line: string) =>
    io.progress(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const sampler = new ProcSampler();
  sampler.track('loadgen', process.pid);
  const ctx: BenchContext = {
    options,
    runTag,
    sampler,
    progress,
    aborted: () => io.signal?.aborted === true,
  };
  const cleanups: (() => Promise<void>)[] = [];
  const results: Omit<BenchResults, 'table'> = {
    meta: {
      date: new Date(started).toISOString(),
      commit: gitCommit(),
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()}`,
      },
      node: process.version,
      smoke: options.smoke,
      sections: options.sections,
      durationSeconds: 0,
      notes: [
        'Loopback only. The system under test runs in a child process (pipeline: startShopfloor with gateway, dedupe consumer, projector, embedded ClickHouse and query API in one process); the load generator is the bench process; the Kafka broker is its own JVM, and so is the schema registry (Apicurio; every topic value is Avro through it).',
        'Query section: data is bulk-preloaded straight into ClickHouse with insertEventChanges (TabSeparated), NOT through the pipeline.',
        'Baseline: same HTTP API (gatewayRoutes) with a BatchPublisher that runs dedupeBatch on an LMDB store and inserts the change rows directly (grouped per insert); no Kafka, no exactly-once.',
        'CPU: 100% = one core, averaged over the scenario (avg/max of 1 s samples); RSS: peak.',
      ],
      options: { ...options },
    },
    pipeline: { ingest: [] },
    baseline: { ingest: [] },
    ratios: {},
    profiles: [],
  };
  const wants = (s: BenchOptions['sections'][number]) => options.sections.includes(s);
  const stopChild = async (child: ChildHandle, label: string) => {
    await child.stop();
    sampler.untrack(label);
  };
  let failure: unknown;
  let infra: BenchInfra | undefined;
  const benchInfra = async () => {
    infra ??= await startBenchInfra(options, workDir, sampler, progress, cleanups);
    return infra;
  };
  // The start command's heap bound and topology (packages/config), unless the flags say otherwise.
  const childConfig = loadConfig({
    SHOPFLOOR_TOPOLOGY: process.env.SHOPFLOOR_TOPOLOGY,
    SHOPFLOOR_MAX_OLD_SPACE_MB: process.env.SHOPFLOOR_MAX_OLD_SPACE_MB,
    SHOPFLOOR_HEAP_GROWING_PERCENT: process.env.SHOPFLOOR_HEAP_GROWING_PERCENT,
    SHOPFLOOR_MAX_SEMI_SPACE_MB: process.env.SHOPFLOOR_MAX_SEMI_SPACE_MB,
    ...(options.topology ? { SHOPFLOOR_TOPOLOGY: options.topology } : {}),
    ...(options.maxOldSpaceMb === undefined
      ? {}
      : { SHOPFLOOR_MAX_OLD_SPACE_MB: String(options.maxOldSpaceMb) }),
  });
  // The machine's own speed while the system under test idles (machine-speed.ts), at the start,
  // before the sections whose figures move most with it, and at the end.
  const speedProbe = async (at: string) => {
    const probe = await measureMachineSpeed(at, options.smoke ? 0.5 : 1);
    results.meta.machineSpeed = [...(results.meta.machineSpeed ?? []), probe];
    progress(`machine speed probe (${at}): ${probe.roundsPerSec} rounds/s`);
  };
  try {
    await speedProbe('start');
    const eventsSections = wants('ingest') || wants('latency') || wants('freshness');
    const needsPipeline = eventsSections || wants('sensors') || wants('metric-events');
    if (needsPipeline) {
      const { brokers, schemaRegistryUrl } = await benchInfra();
      progress(
        `starting the pipeline child (brokers ${brokers.join(',')}, ${options.partitions} partitions)`,
      );
      const heapMb = childConfig.SHOPFLOOR_MAX_OLD_SPACE_MB;
      const limitMb = options.pipelineMemoryLimitMb;
      const cgroup =
        limitMb === undefined
          ? undefined
          : createMemoryCgroup(`shopfloor-bench-${runTag}`, limitMb * 1048576);
      if (cgroup) cleanups.push(async () => cgroup.remove());
      const child = await startChild({
        name: 'pipeline',
        script: 'child-pipeline.ts',
        logDir: workDir,
        profileDir,
        nodeArgs: v8HeapFlags(childConfig),
        env: {
          SHOPFLOOR_TOPOLOGY: childConfig.SHOPFLOOR_TOPOLOGY,
          SHOPFLOOR_MAX_OLD_SPACE_MB: String(heapMb),
          SHOPFLOOR_HEAP_GROWING_PERCENT: String(childConfig.SHOPFLOOR_HEAP_GROWING_PERCENT),
          SHOPFLOOR_MAX_SEMI_SPACE_MB: String(childConfig.SHOPFLOOR_MAX_SEMI_SPACE_MB),
          ...systemEnvUnder(`${runTag}.`, { brokers, schemaRegistryUrl }),
          SHOPFLOOR_DATA_DIR: path.join(workDir, 'pipeline'),
          SHOPFLOOR_PARTITIONS: String(options.partitions),
          SHOPFLOOR_DEMO: '0',
          PORT: '0',
          LOG_LEVEL: process.env.BENCH_CHILD_LOG_LEVEL ?? 'warn',
          // The child joins it first thing (and the split topology's gateway, forked by it, too).
          ...(cgroup ? { BENCH_MEMORY_CGROUP: cgroup.dir } : {}),
        },
      });
      cleanups.push(() => child.stop());
      sampler.track('pipeline', child.pid, { threads: true });
      if (cgroup) progress(`pipeline child in a memory cgroup of ${limitMb} MiB (page cache included)`);
      // Split topology: the gateway process the pipeline child forked, sampled on its own.
      const gatewayPid = child.info.gatewayPid;
      if (typeof gatewayPid === 'number') sampler.track('gateway', gatewayPid);
      progress(
        `pipeline topology ${childConfig.SHOPFLOOR_TOPOLOGY}, V8 heap bound ${heapMb || 'none'} MiB, heap growing ${childConfig.SHOPFLOOR_HEAP_GROWING_PERCENT || "V8's own"} %, semi-spaces ${childConfig.SHOPFLOOR_MAX_SEMI_SPACE_MB || "node's"} MiB`,
      );
      const sut = systemUnderTest('pipeline', child, options.clients);
      try {
        progress('warming up the pipeline');
        if (eventsSections) await warmUp(ctx, sut, options.smoke ? 3 : 20);
        await measureIdle(ctx, options.smoke ? 3 : 5);
        await speedProbe('pipeline idle');
        if (wants('ingest')) {
          for (let pass = 1; pass <= options.ingestPasses && !ctx.aborted(); pass++) {
            if (options.ingestPasses > 1) progress(`ingest pass ${pass} of ${options.ingestPasses}`);
            const rows: IngestResult[] = [];
            for (const sc of scenarios(options, options.ingestSeconds)) {
              if (ctx.aborted()) break;
              rows.push(await runIngest(ctx, sut, sc));
            }
            if (pass === options.ingestPasses) results.pipeline.ingest = rows;
            else results.pipeline.ingestWarmUp = [...(results.pipeline.ingestWarmUp ?? []), rows];
          }
        }
        if (wants('latency') && !ctx.aborted()) {
          results.pipeline.latency = await runSyncLatency(
            ctx,
            sut,
            options.latencyBatches,
            1000,
            options.smoke ? 60 : 600,
          );
        }
        if (wants('freshness') && !ctx.aborted()) {
          const maxAsync = Math.max(
            0,
            ...results.pipeline.ingest.filter((i) => i.mode === 'async').map((i) => i.visiblePerSec),
          );
          const rate = options.freshnessRate ?? (maxAsync > 0 ? maxAsync / 2 : 5000);
          results.pipeline.freshness = await runFreshness(ctx, sut, rate, options.freshnessSeconds);
        }
        if (wants('sensors') && !ctx.aborted()) {
          await speedProbe('before sensors');
          results.sensors = await runSensorsSection(ctx, sut);
        }
        if (wants('metric-events') && !ctx.aborted()) {
          results.metricEvents = await runMetricEventsSection(ctx, sut.load);
        }
      } finally {
        if (cgroup) {
          const m = cgroup.figures();
          results.pipeline.memoryCgroup = m;
          progress(
            `pipeline memory cgroup: limit ${m.limitMiB} MiB, peak charge ${m.peakMiB} MiB, limit hit ${m.limitHits} times`,
          );
        }
        sut.load.close();
        sut.probe.close();
        await stopChild(child, 'pipeline');
        if (typeof gatewayPid === 'number') sampler.untrack('gateway');
      }
    }

    if (wants('baseline') && !ctx.aborted()) {
      progress('starting the direct-write baseline child');
      const child = await startChild({
        name: 'baseline',
        script: 'child-baseline.ts',
        logDir: workDir,
        profileDir,
        // The pipeline's V8 heap flags, so that the ratio compares the designs, not the GC settings.
        nodeArgs: v8HeapFlags(childConfig),
        env: { BENCH_DATA_DIR: path.join(workDir, 'baseline') },
      });
      cleanups.push(() => child.stop());
      sampler.track('baseline', child.pid, { threads: true });
      const sut = systemUnderTest('baseline', child, options.clients);
      try {
        await warmUp(ctx, sut, options.smoke ? 3 : 20);
        await measureIdle(ctx, options.smoke ? 3 : 5);
        await speedProbe('baseline idle');
        for (const sc of scenarios(options, options.baselineSeconds)) {
          if (ctx.aborted()) break;
          results.baseline.ingest.push(await runIngest(ctx, sut, sc));
        }
        if (!ctx.aborted()) {
          results.baseline.latency = await runSyncLatency(
            ctx,
            sut,
            options.latencyBatches,
            1000,
            options.smoke ? 60 : 600,
          );
        }
      } finally {
        sut.load.close();
        sut.probe.close();
        await stopChild(child, 'baseline');
      }
    }

    if (wants('query') && !ctx.aborted()) {
      progress('starting the query child');
      const child = await startChild({
        name: 'query',
        script: 'child-query.ts',
        logDir: workDir,
        profileDir,
        env: { BENCH_DATA_DIR: path.join(workDir, 'query') },
        onProgress: (text) => progress(`[query child] ${text}`),
      });
      cleanups.push(() => child.stop());
      sampler.track('query', child.pid);
      try {
        results.query = await runQuerySection(ctx, child);
      } finally {
        await stopChild(child, 'query');
      }
    }

    if (wants('scaling') && !ctx.aborted()) {
      results.scaling = await runScalingSection(ctx, await benchInfra(), workDir);
    }
    if (!ctx.aborted()) await speedProbe('end');
  } catch (err) {
    failure = err;
    results.failed = (err as Error).stack ?? String(err);
    progress(`FAILED: ${(err as Error).message} (child logs in ${workDir})`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err) => progress(`cleanup error: ${(err as Error).message}`));
    }
    sampler.stop();
    if (process.env.BENCH_CHILD_LOG_LEVEL) {
      // Child logs at a chosen level (e.g. debug: per-batch step timings) outlive the work dir.
      const logsDir = path.resolve(options.outDir, `logs-${stamp}`);
      mkdirSync(logsDir, { recursive: true });
      for (const f of readdirSync(workDir).filter((f) => f.endsWith('.log'))) {
        copyFileSync(path.join(workDir, f), path.join(logsDir, f));
      }
      progress(`child logs copied to ${logsDir}`);
    }
    if (!failure) rmSync(workDir, { recursive: true, force: true });
  }
  if (io.signal?.aborted) results.failed ??= 'aborted by a signal';
  results.ratios = computeRatios(results);
  if (profileDir) {
    results.profiles = summarizeProfiles(profileDir);
    for (const p of results.profiles) io.progress(`\n${renderProfile(p)}`);
  }
  results.meta.durationSeconds = Math.round((Date.now() - started) / 1000);
  const full: BenchResults = { ...results, table: buildTable(results) };
  mkdirSync(options.outDir, { recursive: true });
  const file = path.resolve(options.outDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  const tableText = renderTable(full.table);
  if (failure) {
    (failure as Error & { run?: BenchRun }).run = { results: full, file, tableText };
    throw failure;
  }
  return { results: full, file, tableText };
}
