import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { ProcSampler, type ThreadClass, threadClass, threadDelta } from './proc-sampler.ts';

test('a process untracked leaves the progress figures at once', async () => {
  const sampler = new ProcSampler(5);
  try {
    sampler.track('self', process.pid);
    for (let i = 0; i < 100 && !('self' in sampler.current()); i++) await sleep(5);
    expect(Object.keys(sampler.current())).toEqual(['self']);
    sampler.untrack('self');
    expect(sampler.current()).toEqual({});
  } finally {
    sampler.stop();
  }
});

test('threads are classed by id and name: the JS thread, Node’s own, the engine’s', () => {
  expect(threadClass(100, 100, 'node')).toBe('main');
  expect(threadClass(101, 100, 'node')).toBe('node');
  expect(threadClass(140, 100, 'ThreadPool')).toBe('engine');
  expect(threadClass(141, 100, 'MergeMutate')).toBe('engine');
});

test('a process tracked with its threads gets its window’s CPU split by class, the JS thread’s included', async () => {
  const sampler = new ProcSampler(5);
  try {
    sampler.track('self', process.pid, { threads: true });
    sampler.track('plain', process.pid);
    const w = sampler.window();
    // Burn ~300 ms on this (the main) thread so its share shows at the 10 ms tick of /proc.
    const until = performance.now() + 300;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const usage = w.end();
    const split = usage.self?.threadCpuSeconds;
    expect(split).toBeDefined();
    expect(split?.main).toBeGreaterThanOrEqual(0.2);
    const sum = Object.values(split ?? {}).reduce((a, b) => a + b, 0);
    // Threads that ended inside the window leave the split, never add to it.
    expect(sum).toBeLessThanOrEqual((usage.self?.cpuSeconds ?? 0) + 0.02);
    expect(usage.plain?.threadCpuSeconds).toBeUndefined();
  } finally {
    sampler.stop();
  }
});

test('the split never exceeds the process’s CPU while other threads of it are busy', async () => {
  // Other threads burn CPU while the sampler reads the threads one by one. With each thread's CPU
  // in stat's 10 ms ticks, and the process read only after its threads, 1-6 windows of these 100
  // exceeded the bound (a tick per busy thread).
  const burn =
    'const until = Date.now() + 10_000; let x = 0; while (Date.now() < until) x += Math.sqrt(x + 1);';
  const workers = Array.from({ length: 4 }, () => new Worker(burn, { eval: true }));
  const sampler = new ProcSampler(5);
  try {
    sampler.track('self', process.pid, { threads: true });
    const over: string[] = [];
    for (let i = 0; i < 100; i++) {
      const w = sampler.window();
      const until = performance.now() + 20;
      let x = 0;
      while (performance.now() < until) x += Math.sqrt(x + 1);
      expect(x).toBeGreaterThan(0);
      const usage = w.end().self;
      const split = Object.values(usage?.threadCpuSeconds ?? {});
      // In ms: the process's figure is in 10 ms ticks, the split in ms.
      const sum = split.reduce((a, b) => a + Math.round(b * 1000), 0);
      const cpu = Math.round((usage?.cpuSeconds ?? 0) * 1000);
      if (sum > cpu + 20) over.push(`${sum} > ${cpu}`);
    }
    expect(over).toEqual([]);
  } finally {
    sampler.stop();
    await Promise.all(workers.map((w) => w.terminate()));
  }
});

test('the split is taken thread by thread: a thread that starts counts from 0, one that ends takes none of the others', () => {
  const at = (...threads: [number, ThreadClass, number][]) =>
    new Map(threads.map(([tid, cls, sec]) => [tid, { cls, sec }]));
  const first = at([1, 'main', 10], [2, 'node', 4], [3, 'engine', 50], [4, 'engine', 1]);
  // Thread 3 (50 s of engine CPU before the window) ended; thread 5 started and spent 0.5 s.
  const last = at([1, 'main', 12], [2, 'node', 5], [4, 'engine', 1.25], [5, 'engine', 0.5]);
  expect(threadDelta(first, last)).toEqual({ main: 2, node: 1, engine: 0.75 });
  expect(threadDelta(undefined, last)).toBeUndefined();
});
