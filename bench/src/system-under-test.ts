import type { ChildHandle } from './children.ts';
import { allTimeWindow, type Fleet } from './event-batches.ts';
import { HttpClient } from './http-client.ts';
import type { BenchOptions } from './options.ts';
import type { ProcessUsage, ProcSampler } from './proc-sampler.ts';

/** What every section gets: options, a run tag for unique ids, progress output, CPU sampling. */
export interface BenchContext {
  options: BenchOptions;
  runTag: string;
  sampler: ProcSampler;
  progress(line: string): void;
  aborted(): boolean;
  /** Each process's CPU in a quiet window after the current system's warm-up (see measureIdle). */
  idleUsage?: Record<string, ProcessUsage>;
}

/** Events the pipeline's dedupe step (or the baseline's in-process dedupe) has decided so far. */
export type DedupeCount = { records: number; batches: number; projected: number; ranges: number };

/** A running system with the HTTP API: the pipeline child or the direct-write baseline child. */
export interface SystemUnderTest {
  name: 'pipeline' | 'baseline';
  child: ChildHandle;
  /** Load clients (POST) and a separate one for the visibility polls, so polls never queue behind posts. */
  load: HttpClient;
  probe: HttpClient;
  dedupeCount(): Promise<DedupeCount>;
}

export function systemUnderTest(
  name: SystemUnderTest['name'],
  child: ChildHandle,
  clients: number,
): SystemUnderTest {
  return {
    name,
    child,
    load: new HttpClient(child.url, Math.max(clients, 1)),
    probe: new HttpClient(child.url, 8),
    async dedupeCount() {
      if (name === 'pipeline') {
        const c = await child.request<{
          dedupe: { records: number; batches: number };
          projector: { records: number; partitionRanges: number };
        }>('counters');
        return {
          records: c.dedupe.records,
          batches: c.dedupe.batches,
          projected: c.projector.records,
          ranges: c.projector.partitionRanges,
        };
      }
      const c = await child.request<{ direct: { events: number; inserts: number } }>('counters');
      const events = c.direct.events ?? 0;
      const inserts = c.direct.inserts ?? 0;
      return { records: events, batches: inserts, projected: events, ranges: inserts };
    },
  };
}

/** Events of a fleet counted by GET /stats (summed over its machines, one window covering all). */
export async function visibleCount(sut: SystemUnderTest, f: Fleet, sinceMs: number): Promise<number> {
  const w = allTimeWindow(sinceMs);
  const counts = await Promise.all(
    f.machines.map((m) =>
      sut.probe
        .getJson<{ eventsCount: number }>(
          `/stats?machineId=${encodeURIComponent(m)}&start=${w.start}&end=${w.end}`,
        )
        .then((r) => r.eventsCount),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}
