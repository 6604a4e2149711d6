import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks.

/** RSS is anonymous memory (heaps, buffers, stacks) plus file pages mapped in (code, LMDB's state). */
type Reading = {
  t: number;
  /** The process's CPU seconds read after its threads, and (`cpuSecBefore`) before them. */
  cpuSec: number;
  cpuSecBefore: number;
  rssBytes: number;
  anonBytes: number;
  fileBytes: number;
  /** Each live thread's class (`threadClass`) and CPU seconds, for processes tracked with `threads`. */
  threads?: ThreadReadings;
};

/** The parts of a Node process whose CPU the bench reports apart (see `threadClass`). */
export const THREAD_CLASSES = ['main', 'node', 'engine'] as const;
export type ThreadClass = (typeof THREAD_CLASSES)[number];
type ThreadReadings = Map<number, { cls: ThreadClass; sec: number }>;

/**
 * Which part of a Node process a thread is, from its id and name: the JS thread (its id is the
 * process's); `node`, the other threads Node names after itself (V8's GC and compiler workers, the
 * libuv pool, where chdb's statements and LMDB's async writes run); `engine`, every thread the
 * embedded ClickHouse names (ThreadPool, MergeMutate, BgSchPool, ...). Where a process's CPU goes:
 * V8's workers are mostly GC, the engine's are queries and merges.
 */
export function threadClass(tid: number, pid: number, comm: string): ThreadClass {
  if (tid === pid) return 'main';
  return comm === 'node' ? 'node' : 'engine';
}

const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');
// After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based), so index 11 and 12.
const statCpuSec = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / CLK_TCK;

/**
 * Each live thread's class and CPU seconds. The seconds come from `schedstat` (the scheduler's run
 * time in ns), not from `stat`'s utime + stime: those count whole 10 ms ticks, so a window's split
 * over a dozen busy threads was off by up to a tick per thread (and its sum above the process's).
 */
function readThreads(pid: number): ThreadReadings {
  const out: ThreadReadings = new Map();
  for (const name of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${name}/stat`, 'utf8');
      const ns = Number(readFileSync(`/proc/${pid}/task/${name}/schedstat`, 'utf8').split(' ')[0]);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const tid = Number(name);
      out.set(tid, { cls: threadClass(tid, pid, comm), sec: ns / 1e9 });
    } catch {}
  }
  return out;
}

const kib = (status: string, field: string) => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) * 1024 : 0;
};

/** CPU seconds (user + system, all threads) the process has spent so far, in 10 ms ticks. */
export function processCpuSeconds(pid: number): number {
  return statCpuSec(statFields(readFileSync(`/proc/${pid}/stat`, 'utf8')));
}

function read(pid: number, threads = false): Reading | undefined {
  try {
    // The process is read before and after its threads: a window's process CPU runs from the
    // earlier figure of its first reading to the later one of its last, so it holds every thread's
    // CPU between their readings and the split's sum stays within it (give or take the process
    // figure's 10 ms tick).
    const cpuSecBefore = threads ? processCpuSeconds(pid) : 0;
    const threadReadings = threads ? readThreads(pid) : undefined;
    const cpuSec = processCpuSeconds(pid);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      t: performance.now(),
      cpuSec,
      cpuSecBefore: threads ? cpuSecBefore : cpuSec,
      rssBytes: kib(status, 'VmRSS'),
      anonBytes: kib(status, 'RssAnon'),
      fileBytes: kib(status, 'RssFile'),
      ...(threadReadings ? { threads: threadReadings } : {}),
    };
  } catch {
    return undefined;
  }
}

export type ProcessUsage = {
  cpuPercentAvg: number;
  cpuPercentMax: number;
  rssMiBMax: number;
  rssMiBEnd: number;
  /** Peak of the anonymous part of RSS (RssAnon): the process's own memory, not file pages. */
  anonMiBMax: number;
  /** Peak of the file-backed part (RssFile): code and mapped files (the dedupe state's LMDB map), reclaimable page cache. */
  fileMiBMax: number;
  /** CPU time (user + system) the process spent over the window, all its threads. */
  cpuSeconds: number;
  /** Length of the window. */
  seconds: number;
  /** The CPU seconds split by thread class (`threadClass`), for processes tracked with `threads`. */
  threadCpuSeconds?: Record<ThreadClass, number>;
};

/**
 * Per class, the CPU seconds its threads spent from one reading to the next, thread by thread: one
 * started in between counts from 0; one that ended in between is missing from the second reading, so
 * its last stretch drops out of the split (never out of the process's total, which the kernel keeps).
 */
export function threadDelta(
  first: ThreadReadings | undefined,
  last: ThreadReadings | undefined,
): Record<ThreadClass, number> | undefined {
  if (!first || !last) return undefined;
  const out = Object.fromEntries(THREAD_CLASSES.map((cls) => [cls, 0])) as Record<ThreadClass, number>;
  for (const [tid, t] of last) out[t.cls] += t.sec - (first.get(tid)?.sec ?? 0);
  for (const cls of THREAD_CLASSES) out[cls] = Math.round(Math.max(0, out[cls]) * 1000) / 1000;
  return out;
}

type WindowEntry = {
  first: Reading;
  maxCpu: number;
  maxRss: number;
  maxAnon: number;
  maxFile: number;
  lastR: Reading;
};

const windowEntry = (r: Reading, cpu: number): WindowEntry => ({
  first: r,
  maxCpu: cpu,
  maxRss: r.rssBytes,
  maxAnon: r.anonBytes,
  maxFile: r.fileBytes,
  lastR: r,
});

/**
 * CPU and RSS of the bench's processes from /proc, once a second. `window()` opens a measurement
 * window and its `end()` gives, per process, the average and peak CPU (100% = one core) and the
 * peak RSS over the window.
 */
export class ProcSampler {
  /** Tracked processes; `threads`: their threads are read too (a few hundred small files a second for the pipeline child). */
  private readonly tracked = new Map<string, { pid: number; threads: boolean }>();
  private readonly last = new Map<string, Reading>();
  private readonly windows = new Set<Map<string, WindowEntry>>();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  track(label: string, pid: number, opts: { threads?: boolean } = {}): void {
    const threads = opts.threads === true;
    this.tracked.set(label, { pid, threads });
    const r = read(pid, threads);
    if (r) this.last.set(label, r);
  }

  untrack(label: string): void {
    this.tracked.delete(label);
    this.last.delete(label);
    // Else the progress lines go on printing a stopped process's last figure.
    this.currentCpu.delete(label);
  }

  /** The CPU % of each process since the previous sample (for progress lines). */
  current(): Record<string, number> {
    return Object.fromEntries(this.currentCpu);
  }

  private readonly currentCpu = new Map<string, number>();

  private sample(): void {
    for (const [label, { pid, threads }] of this.tracked) {
      const r = read(pid, threads);
      if (!r) continue;
      const prev = this.last.get(label);
      const cpu = prev && r.t > prev.t ? ((r.cpuSec - prev.cpuSec) * 100_000) / (r.t - prev.t) : 0;
      this.currentCpu.set(label, Math.round(cpu));
      this.last.set(label, r);
      for (const w of this.windows) {
        const entry = w.get(label);
        if (!entry) w.set(label, windowEntry(r, cpu));
        else {
          entry.maxCpu = Math.max(entry.maxCpu, cpu);
          entry.maxRss = Math.max(entry.maxRss, r.rssBytes);
          entry.maxAnon = Math.max(entry.maxAnon, r.anonBytes);
          entry.maxFile = Math.max(entry.maxFile, r.fileBytes);
          entry.lastR = r;
        }
      }
    }
  }

  window(): { end(): Record<string, ProcessUsage> } {
    const w = new Map<string, WindowEntry>();
    for (const [label, { pid, threads }] of this.tracked) {
      const r = read(pid, threads);
      if (r) w.set(label, windowEntry(r, 0));
    }
    this.windows.add(w);
    return {
      end: () => {
        this.windows.delete(w);
        const out: Record<string, ProcessUsage> = {};
        for (const [label, entry] of w) {
          const t = this.tracked.get(label);
          const r = (t ? read(t.pid, t.threads) : undefined) ?? entry.lastR;
          const dt = r.t - entry.first.t;
          const cpu = r.cpuSec - entry.first.cpuSecBefore;
          const avg = dt > 0 ? (cpu * 100_000) / dt : 0;
          const usage: ProcessUsage = {
            cpuPercentAvg: Math.round(avg),
            cpuPercentMax: Math.round(Math.max(entry.maxCpu, avg)),
            rssMiBMax: Math.round(Math.max(entry.maxRss, r.rssBytes) / 1048576),
            rssMiBEnd: Math.round(r.rssBytes / 1048576),
            anonMiBMax: Math.round(Math.max(entry.maxAnon, r.anonBytes) / 1048576),
            fileMiBMax: Math.round(Math.max(entry.maxFile, r.fileBytes) / 1048576),
            cpuSeconds: Math.round(cpu * 100) / 100,
            seconds: Math.round(dt) / 1000,
          };
          const threads = threadDelta(entry.first.threads, r.threads);
          if (threads) usage.threadCpuSeconds = threads;
          out[label] = usage;
        }
        return out;
      },
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The process itself, or its first descendant whose command line contains `marker` (e.g. the JVM a wrapper shell started). */
export function findProcess(rootPid: number, marker: string): number {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.includes(marker)) return pid;
    } catch {}
    queue.push(...(byParent.get(pid) ?? []));
  }
  return rootPid;
}
