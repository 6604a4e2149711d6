import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What a memory cgroup saw over the run, MiB. */
export type MemoryCgroupFigures = {
  limitMiB: number;
  /** The cgroup's peak charge: anonymous memory plus the page cache charged to it. */
  peakMiB: number;
  /** Times the charge hit the limit (the kernel then reclaimed pages, or failed the allocation). */
  limitHits: number;
};

export type MemoryCgroup = {
  /** The cgroup's directory: a process joins by writing its pid to `cgroup.procs` in it. */
  dir: string;
  figures(): MemoryCgroupFigures;
  remove(): void;
};

/**
 * A cgroup (v1 memory controller, the one these machines have writable) that bounds the memory of
 * the processes added to it, page cache included: past the limit the kernel reclaims their file
 * pages (LMDB's mapped state among them) before it kills anything. A process joins it itself, at
 * its start (`joinMemoryCgroup`): this kernel does not move pages charged before a process moves
 * (`memory.move_charge_at_immigrate` is refused), so only what it maps after that is counted. Throws with the reason when
 * the controller is not there or not writable, so a bench asked for a limit never runs without it.
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l));
  if (!line) throw new Error('no cgroup v1 memory controller for this process (/proc/self/cgroup)');
  const dir = path.join('/sys/fs/cgroup/memory', line.slice(line.lastIndexOf(':') + 1), name);
  const file = (f: string) => path.join(dir, f);
  mkdirSync(dir);
  writeFileSync(file('memory.limit_in_bytes'), String(limitBytes));
  const read = (f: string) => Number(readFileSync(file(f), 'utf8').trim());
  const mib = (b: number) => Math.round(b / 1048576);
  return {
    dir,
    figures: () => ({
      limitMiB: mib(read('memory.limit_in_bytes')),
      peakMiB: mib(read('memory.max_usage_in_bytes')),
      limitHits: read('memory.failcnt'),
    }),
    remove() {
      // Removable only once its processes have exited; if one is still alive the directory stays
      // (each run names its own, so a leftover never stops the next run).
      try {
        rmdirSync(dir);
      } catch {}
    },
  };
}

/** Joins the cgroup at `dir` (from createMemoryCgroup); its children forked later are in it too. */
export function joinMemoryCgroup(dir: string): void {
  writeFileSync(path.join(dir, 'cgroup.procs'), String(process.pid));
}
