import { createHash } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

// The same code on this machine has measured 1.2-1.5x apart in CPU per event from one run to the
// next (bench/README "Levers" 37: 53 against 80 us per reading half an hour apart), and /proc/stat
// shows no steal time to tell a slow phase by. This probe is that yardstick: a fixed workload on one
// core, timed while the system under test idles, so two runs' figures can be read against how fast
// the machine itself was.

/** One probe's answer: fixed rounds of work per second (higher = faster machine, right now). */
export type SpeedProbe = { at: string; roundsPerSec: number };

const FLOATS = 1 << 18; // 2 MiB of Float64: past the L2 cache, as the pipeline's working set is
const HASHED = Buffer.alloc(1 << 18, 7);
const RECORDS = Array.from({ length: 200 }, (_, i) => ({
  eventId: `E-${i}`,
  machineId: `M-${i % 17}`,
  durationMs: i * 13,
  defectCount: i % 3,
}));

/**
 * One round of the fixed workload: xorshift-fill and sort 2 MiB of floats, a JSON round trip of 200
 * small records, a SHA-256 of 256 KiB (memory, V8's sort and allocator, the JSON paths, native
 * code). Returns a checksum, so the work cannot be optimized away and every round is the same.
 */
export function speedProbeRound(floats = new Float64Array(FLOATS)): number {
  let x = 88172645;
  for (let i = 0; i < floats.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    floats[i] = (x >>> 0) / 4294967296;
  }
  floats.sort();
  const parsed = JSON.parse(JSON.stringify(RECORDS)) as typeof RECORDS;
  const digest = createHash('sha256').update(HASHED).digest();
  return (floats[floats.length >> 1] ?? 0) + parsed.length + (digest[0] ?? 0);
}

/**
 * Runs rounds for `seconds` of wall time in slices of ~50 ms (the event loop stays free in between)
 * and reports rounds per second of the time spent in them.
 */
export async function measureMachineSpeed(at: string, seconds = 1): Promise<SpeedProbe> {
  const floats = new Float64Array(FLOATS);
  speedProbeRound(floats); // warm-up: compiled, allocations made
  let rounds = 0;
  let busyMs = 0;
  while (busyMs < seconds * 1000) {
    const sliceStart = performance.now();
    do {
      speedProbeRound(floats);
      rounds++;
    } while (performance.now() - sliceStart < 50);
    busyMs += performance.now() - sliceStart;
    await yieldToLoop();
  }
  return { at, roundsPerSec: Math.round((rounds / busyMs) * 1000 * 10) / 10 };
}

/** The probes of one run as one line: each probe, and the slowest against the fastest. */
export function machineSpeedText(probes: readonly SpeedProbe[]): string {
  const parts = probes.map((p) => `${p.at} ${p.roundsPerSec}`);
  const rates = probes.map((p) => p.roundsPerSec);
  const spread =
    rates.length > 1 ? `; slowest / fastest ${(Math.min(...rates) / Math.max(...rates)).toFixed(2)}` : '';
  return `${parts.join(', ')} rounds/s${spread}`;
}
