import { z } from 'zod';
import { boolFlag, int } from './setting-types.ts';

/** The settings of the process: address, port, logging, data folder and what the start command runs (the one schema is composed in schema.ts). */
export const runtimeSettings = {
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHOPFLOOR_DATA_DIR: z.string().min(1).default('.data'),
  SHOPFLOOR_DEMO: boolFlag.default(true),
  SHOPFLOOR_TOPOLOGY: z.enum(['single', 'split'], { message: 'must be single or split' }).default('split'),
  // Split: the query routes answered by a worker thread of the pipeline process (bench/README, Levers 36).
  SHOPFLOOR_QUERY_THREAD: boolFlag.default(true),
  // The V8 old generation of each process the start command launches: without a bound V8 sizes its
  // heap to the allocation rate, not to the ~41 MiB live (bench/README, Memory). 0: node's default.
  SHOPFLOOR_MAX_OLD_SPACE_MB: int(0, 65_536)
    .refine((mb) => mb === 0 || mb >= 128, { message: 'must be 0 (node default) or at least 128' })
    .default(384),
  // V8's old generation grows to (1 + N/100) x what survived the last full GC before the next one.
  // Its own factor let the pipeline run ~1.5 full GCs a second under load (bench/README, Levers 14).
  SHOPFLOOR_HEAP_GROWING_PERCENT: int(0, 1000).default(300),
  // V8's young generation: at node's 16 MiB nearly every batch outlives two scavenges and is copied
  // twice, then promoted; 64 lets most of them die young (bench/README, Levers 26). 0: node's default.
  SHOPFLOOR_MAX_SEMI_SPACE_MB: int(0, 1024)
    .refine((mb) => mb === 0 || (mb >= 1 && (mb & (mb - 1)) === 0), {
      message: 'must be 0 (node default) or a power of two (MiB)',
    })
    .default(64),
};

/** Each node flag `v8HeapFlags` sets, with the setting that gives its value (0: the flag is left out). */
const V8_HEAP_FLAGS = [
  ['--max-old-space-size', 'SHOPFLOOR_MAX_OLD_SPACE_MB'],
  ['--heap-growing-percent', 'SHOPFLOOR_HEAP_GROWING_PERCENT'],
  ['--max-semi-space-size', 'SHOPFLOOR_MAX_SEMI_SPACE_MB'],
] as const;
type V8HeapSetting = (typeof V8_HEAP_FLAGS)[number][1];

/** The node flags `v8HeapFlags` sets: a forked process takes the configured ones, never its parent's. */
export const V8_HEAP_FLAG_NAMES = V8_HEAP_FLAGS.map(([flag]) => flag);

/** The node flags of a process the start command launches: its heap bound, heap growing factor and semi-space size. */
export function v8HeapFlags(config: Readonly<Record<V8HeapSetting, number>>): string[] {
  return V8_HEAP_FLAGS.filter(([, setting]) => config[setting] > 0).map(
    ([flag, setting]) => `${flag}=${config[setting]}`,
  );
}

export const runtimeSettingDocs: Record<keyof typeof runtimeSettings, string> = {
  HOST: 'Address the HTTP API listens on.',
  PORT: 'Port of the HTTP API (the whole API on one port in the standalone process).',
  LOG_LEVEL: 'pino log level.',
  SHOPFLOOR_DATA_DIR: 'Folder for local data: embedded ClickHouse, dedupe state, local Kafka broker.',
  SHOPFLOOR_DEMO:
    'Standalone only: run simulated machines posting events, clients posting metric events and, with the sensor stream on, equipment posting sensor readings (a spike about once a minute raises a CRITICAL alert); set 0 to start without them.',
  SHOPFLOOR_TOPOLOGY:
    'Start command only: `split` runs the gateway (POST /events/batch: validation, the produce to events.raw, the sync-answer wait) in a process of its own that serves the one HTTP port and forwards every other route to the pipeline process (dedupe, projector, query, sensors, metric events, embedded ClickHouse); `single` runs the whole pipeline in one node process (one fewer process and ~0.5 GiB less at peak, but a third slower async ingest: bench/README "Levers" 30). Both under one supervisor that Ctrl-C stops.',
  SHOPFLOOR_QUERY_THREAD:
    "Start command with `split` only: the query routes (`/stats`, `/api/equipment…`, `/api/alerts…`, the other reads of the query service) are answered by a worker thread of the pipeline process, on the same embedded engine through sessions of its own, and the gateway process sends them there; so a dashboard's reads do not wait for the pipeline's JS thread, nor it for them (bench/README \"Levers\" 36). 0 answers them on the pipeline's main thread, as `single` always does.",
  SHOPFLOOR_MAX_OLD_SPACE_MB:
    'Start command only: V8 heap bound (`--max-old-space-size`, MiB) of every node process it launches; 0 leaves node\'s default (which lets the heap grow with the allocation rate, see bench/README "Memory").',
  SHOPFLOOR_HEAP_GROWING_PERCENT:
    'Start command only: V8\'s `--heap-growing-percent` for every node process it launches: the old generation may grow to (1 + N/100) times what the last full GC kept before the next full GC, within SHOPFLOOR_MAX_OLD_SPACE_MB. 0 leaves V8\'s own factor (about 4x more full GCs under load, bench/README "Levers" 14).',
  SHOPFLOOR_MAX_SEMI_SPACE_MB:
    "Start command only: V8's `--max-semi-space-size` (MiB, a power of two) for every node process it launches: the young generation's size, where a batch that dies before two scavenges is never copied to the old generation. 0 leaves node's default (16 MiB on 64-bit), at which nearly every batch in flight is promoted (bench/README \"Levers\" 26).",
};
