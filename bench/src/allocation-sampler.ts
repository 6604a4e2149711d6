import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * V8's sampling heap profiler counting the objects that garbage collection already freed too (what
 * `--heap-prof` leaves out): where the garbage comes from. Started when `BENCH_ALLOC_PROFILE` names
 * a file; `stop()` writes a .heapprofile there (read it with heap-profile-summary.ts).
 */
export async function startAllocationSampler(): Promise<{ stop(): Promise<void> } | undefined> {
  const file = process.env.BENCH_ALLOC_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return {
    async stop() {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
