export const SECTIONS = ['ingest', 'latency', 'freshness', 'query', 'baseline'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  smoke: boolean;
  sections: Section[];
  /** Seconds each ingest scenario keeps sending (full run: 60). */
  ingestSeconds: number;
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
  /** How long to wait for the sent events to become visible after sending stopped. */
  drainTimeoutSeconds: number;
}

const HELP = `pnpm bench [flags]
  --smoke                 a short run (a few seconds per scenario, small query data sets)
  --sections=a,b          any of ${SECTIONS.join(', ')} (default: all)
  --ingest-seconds=N      sending time per ingest scenario (default 60, smoke 3)
  --baseline-seconds=N    sending time per baseline scenario (default 30, smoke 3)
  --clients=N             concurrent clients of the ingest scenarios (default 8)
  --latency-batches=N     1000-event batches of the sync latency run (default 200, smoke 15)
  --freshness-seconds=N   length of the freshness run (default 60, smoke 4)
  --freshness-rate=N      events/s of the freshness run if ingest did not run (default 5000)
  --query-sizes=a,b       stored events for the query section (default 1000000,10000000)
  --query-samples=N       samples per query cell (default 200, smoke 10)
  --partitions=N          partitions of events.raw (default 2, the embedded default)
  --brokers=host:port     use these Kafka brokers instead of starting the local one
  --schema-registry=URL   use this schema registry (http://host:port/apis/ccompat/v7) instead of
                          starting one (Apicurio, on the brokers) for the pipeline's Avro records
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
    'baseline-seconds',
    'clients',
    'latency-batches',
    'freshness-seconds',
    'freshness-rate',
    'query-sizes',
    'query-samples',
    'partitions',
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
  const sections = (flags.get('sections') ?? SECTIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of sections) {
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new UsageError(`unknown section ${JSON.stringify(s)}; choose from ${SECTIONS.join(', ')}`);
  }
  const querySizes = (flags.get('query-sizes') ?? (smoke ? '20000,60000' : '1000000,10000000'))
    .split(',')
    .map(Number);
  if (querySizes.some((n) => !Number.isInteger(n) || n < 1000))
    throw new UsageError('--query-sizes must be whole numbers ≥ 1000');
  const brokers = flags.get('brokers');
  const schemaRegistry = flags.get('schema-registry');
  if (schemaRegistry !== undefined && !/^https?:\/\/\S+$/.test(schemaRegistry))
    throw new UsageError('--schema-registry must be the http(s) URL of the Confluent-compatible API');
  return {
    smoke,
    sections: SECTIONS.filter((s) => sections.includes(s)),
    ingestSeconds: num('ingest-seconds', smoke ? 3 : 60),
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
    partitions: num('partitions', 2),
    drainTimeoutSeconds: smoke ? 60 : 240,
  };
}
