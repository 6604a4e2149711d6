import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * V8's sampling heap profiler counting the objects that garbage collection already freed too (what
 * `--heap-prof` leaves out): where the garbage comes from. Started when `BENCH_ALLOC_PROFILE` names
 * a file; `stop()` writes a .heapprofile there (read it with heap-profile-summary.ts). With
 * `BENCH_ALLOC_PROFILE_PROMOTED=1` it leaves out what a scavenge freed: only the objects that
 * outlived the young generation (promoted, then freed by a mark-compact or still alive), the ones
 * that make the old generation's collections.
 */
export async function startAllocationSampler(): Promise<{ stop(): Promise<void> } | undefined> {
  const file = process.env.BENCH_ALLOC_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOC_PROFILE_PROMOTED !== '1',
  } as never);
  return {
    async stop() {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
