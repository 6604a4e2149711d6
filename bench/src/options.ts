export const SECTIONS = [
  'ingest',
  'latency',
  'freshness',
  'query',
  'baseline',
  'sensors',
  'metric-events',
  'scaling',
] as const;
/** What runs without --sections: scaling starts several topologies, so it runs only when asked for. */
const DEFAULT_SECTIONS = SECTIONS.filter((s) => s !== 'scaling');
export type Section = (typeof SECTIONS)[number];
/** The ingest section's scenarios: delivery mode and events per batch. */
export const INGEST_SCENARIOS = ['async-1000', 'async-100', 'sync-1000', 'sync-100'] as const;

export interface BenchOptions {
  smoke: boolean;
  sections: Section[];
  /** Seconds each ingest scenario keeps sending (full run: 60). */
  ingestSeconds: number;
  /**
   * Passes over the ingest scenarios; only the last one's figures are the results. The broker's JIT
   * compiles through the first pass (a quarter to half of its CPU in some windows), so a second pass
   * measures the steady state a long-running broker is in.
   */
  ingestPasses: number;
  /** Which ingest scenarios run (mode-batchSize), in the usual order. */
  ingestScenarios: string[];
  /** Seconds each direct-write baseline scenario keeps sending. */
  baselineSeconds: number;
  /** Concurrent HTTP clients of the ingest scenarios. */
  clients: number;
  /** Batches of the sync latency run (one client). */
  latencyBatches: number;
  /** Seconds of the freshness run. */
  freshnessSeconds: number;
  /** Target rate of the freshness run when the ingest section did not measure one (events/s). */
  freshnessRate: number | undefined;
  /** Stored events for the query section, in increasing order. */
  querySizes: number[];
  /** Samples per query cell (the FINAL scans get a quarter of it, at least 5). */
  querySamples: number;
  /** External brokers instead of starting the local one. */
  brokers: string[] | undefined;
  /** An existing schema registry (Confluent API URL) instead of starting one on the brokers. */
  schemaRegistry: string | undefined;
  /** Run the children with --cpu-prof and print the top of each profile. */
  profile: boolean;
  /** Where results/<timestamp>.json goes. */
  outDir: string;
  partitions: number;
  /** The start command's topology for the pipeline child (SHOPFLOOR_TOPOLOGY); undefined: its default. */
  topology: 'single' | 'split' | undefined;
  /** V8 heap bound (MiB) of the pipeline child(ren) (SHOPFLOOR_MAX_OLD_SPACE_MB); undefined: its default; 0: none. */
  maxOldSpaceMb: number | undefined;
  /** A memory cgroup limit (MiB) for the pipeline child, page cache included; undefined: none. */
  pipelineMemoryLimitMb: number | undefined;
  /** Seconds each sensor webhook scenario keeps sending (full run: 30). */
  sensorSeconds: number;
  /** Seconds of the sensor alert-latency run (full run: 120, ~240 spikes). */
  alertSeconds: number;
  /** Readings/s of the alert-latency run instead of half the best sensor ingest figure. */
  alertRate: number | undefined;
  /** Milliseconds between two spikes of the alert-latency run (default 500). */
  alertSpikeMs: number;
  /** Seconds each metric-events scenario keeps sending (full run: 20). */
  metricSeconds: number;
  /** How long to wait for the sent events to become visible after sending stopped. */
  drainTimeoutSeconds: number;
  /** Dedupe process counts of the scaling section, one topology each (each ≤ partitions). */
  scalingProcesses: number[];
  /** Sending time of the scaling section's load on each topology. */
  scalingSeconds: number;
}

const HELP = `pnpm bench [flags]
  --smoke                 a short run (a few seconds per scenario, small query data sets)
  --sections=a,b          any of ${SECTIONS.join(', ')} (default: all but scaling)
  --ingest-seconds=N      sending time per ingest scenario (default 60, smoke 3)
  --ingest-scenarios=a,b  which of async-1000, async-100, sync-1000, sync-100 the ingest section runs
                          (default all four)
  --ingest-passes=N       passes over the ingest scenarios, the last one reported (default 1); the
                          earlier ones warm the broker's and the pipeline's JITs up
  --baseline-seconds=N    sending time per baseline scenario (default 30, smoke 3)
  --clients=N             concurrent clients of the ingest scenarios (default 8)
  --latency-batches=N     1000-event batches of the sync latency run (default 200, smoke 15)
  --freshness-seconds=N   length of the freshness run (default 60, smoke 4)
  --freshness-rate=N      events/s of the freshness run if ingest did not run (default 5000)
  --query-sizes=a,b       stored events for the query section (default 1000000,10000000)
  --query-samples=N       samples per query cell (default 200, smoke 10)
  --sensor-seconds=N      sending time per sensor webhook scenario (default 30, smoke 3)
  --alert-seconds=N       length of the sensor alert-latency run (default 120, smoke 5)
  --alert-rate=N          readings/s of the alert-latency run (default: half the best sensor row)
  --alert-spike-ms=N      milliseconds between two spikes of the alert-latency run (default 500)
  --metric-seconds=N      sending time per metric-events scenario (default 20, smoke 3)
  --partitions=N          partitions of events.raw (default 2, the embedded default)
  --topology=single|split the pipeline child as the start command runs it: one process, or the gateway
                          in a process of its own (default: SHOPFLOOR_TOPOLOGY's default)
  --pipeline-memory-limit-mb=N  put the pipeline child in a memory cgroup of N MiB (page cache included;
                          needs a writable cgroup v1 memory controller, e.g. root on these machines)
  --max-old-space-mb=N    V8 heap bound of the pipeline child(ren), 0 = none (default: SHOPFLOOR_MAX_OLD_SPACE_MB's)
  --brokers=host:port     use these Kafka brokers instead of starting the local one
  --schema-registry=URL   use this schema registry (http://host:port/apis/ccompat/v7) instead of
                          starting one (Apicurio, on the brokers) for the pipeline's Avro records
  --scaling-processes=a,b dedupe processes per topology of the scaling section (default 1,2,3, those
                          ≤ --partitions; each must be ≤ --partitions): projector + gateway + N consumer mains, async 1000/batch
  --scaling-seconds=N     sending time per scaling topology (default 60, smoke 10)
  --profile               run the children with --cpu-prof and print the top functions
  --out=DIR               results folder (default bench/results)`;

export class UsageError extends Error {}

export function helpText(): string {
  return HELP;
}

export function parseBenchOptions(argv: readonly string[], defaultOutDir: string): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--') continue;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument ${JSON.stringify(arg)}\n\n${HELP}`);
    flags.set(m[1]!, m[2] ?? 'true');
  }
  const known = new Set([
    'smoke',
    'sections',
    'ingest-seconds',
    'ingest-passes',
    'ingest-scenarios',
    'baseline-seconds',
    'clients',
    'latency-batches',
    'freshness-seconds',
    'freshness-rate',
    'query-sizes',
    'query-samples',
    'partitions',
    'topology',
    'max-old-space-mb',
    'pipeline-memory-limit-mb',
    'scaling-processes',
    'scaling-seconds',
    'sensor-seconds',
    'alert-seconds',
    'alert-rate',
    'alert-spike-ms',
    'metric-seconds',
    'brokers',
    'schema-registry',
    'profile',
    'out',
    'help',
  ]);
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new UsageError(`unknown flag --${name}\n\n${HELP}`);
  }
  if (flags.has('help')) throw new UsageError(HELP);
  const smoke = flags.get('smoke') === 'true';
  const num = (name: string, fallback: number, min = 1) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  /** A comma-separated flag whose every item must be one of `allowed`. */
  const listFlag = (name: string, what: string, allowed: readonly string[], fallback: readonly string[]) => {
    const items = (flags.get(name) ?? fallback.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of items) {
      if (!allowed.includes(s))
        throw new UsageError(`unknown ${what} ${JSON.stringify(s)}; choose from ${allowed.join(', ')}`);
    }
    return items;
  };
  const sections = listFlag('sections', 'section', SECTIONS, DEFAULT_SECTIONS);
  const ingestScenarios = listFlag('ingest-scenarios', 'ingest scenario', INGEST_SCENARIOS, INGEST_SCENARIOS);
  const querySizes = (flags.get('query-sizes') ?? (smoke ? '20000,60000' : '1000000,10000000'))
    .split(',')
    .map(Number);
  if (querySizes.some((n) => !Number.isInteger(n) || n < 1000))
    throw new UsageError('--query-sizes must be whole numbers ≥ 1000');
  const brokers = flags.get('brokers');
  const schemaRegistry = flags.get('schema-registry');
  if (schemaRegistry !== undefined && !/^https?:\/\/\S+$/.test(schemaRegistry))
    throw new UsageError('--schema-registry must be the http(s) URL of the Confluent-compatible API');
  const partitions = num('partitions', 2);
  const topology = flags.get('topology');
  if (topology !== undefined && topology !== 'single' && topology !== 'split')
    throw new UsageError('--topology must be single or split');
  // Default: 1, 2 and 3 dedupe processes, as many of them as the partitions allow.
  const scalingFlag = flags.get('scaling-processes');
  const scalingProcesses = scalingFlag
    ? scalingFlag.split(',').map(Number)
    : [1, 2, 3].filter((n) => n <= partitions);
  if (scalingProcesses.some((n) => !Number.isInteger(n) || n < 1 || n > partitions))
    throw new UsageError('--scaling-processes must be whole numbers from 1 to --partitions');
  return {
    smoke,
    sections: SECTIONS.filter((s) => sections.includes(s)),
    ingestSeconds: num('ingest-seconds', smoke ? 3 : 60),
    ingestPasses: num('ingest-passes', 1),
    ingestScenarios: INGEST_SCENARIOS.filter((s) => ingestScenarios.includes(s)),
    baselineSeconds: num('baseline-seconds', smoke ? 3 : 30),
    clients: num('clients', 8),
    latencyBatches: num('latency-batches', smoke ? 15 : 200),
    freshnessSeconds: num('freshness-seconds', smoke ? 4 : 60),
    freshnessRate: flags.has('freshness-rate') ? num('freshness-rate', 5000) : undefined,
    querySizes: [...querySizes].sort((a, b) => a - b),
    querySamples: num('query-samples', smoke ? 10 : 200),
    brokers: brokers ? brokers.split(',').map((b) => b.trim()) : undefined,
    schemaRegistry,
    profile: flags.get('profile') === 'true',
    outDir: flags.get('out') ?? defaultOutDir,
    partitions,
    topology,
    maxOldSpaceMb: flags.has('max-old-space-mb') ? num('max-old-space-mb', 0, 0) : undefined,
    pipelineMemoryLimitMb: flags.has('pipeline-memory-limit-mb')
      ? num('pipeline-memory-limit-mb', 0, 64)
      : undefined,
    sensorSeconds: num('sensor-seconds', smoke ? 3 : 30),
    alertSeconds: num('alert-seconds', smoke ? 5 : 120),
    alertRate: flags.has('alert-rate') ? num('alert-rate', 1000) : undefined,
    alertSpikeMs: num('alert-spike-ms', 500, 10),
    metricSeconds: num('metric-seconds', smoke ? 3 : 20),
    drainTimeoutSeconds: smoke ? 60 : 240,
    scalingProcesses,
    scalingSeconds: num('scaling-seconds', smoke ? 10 : 60),
  };
}
