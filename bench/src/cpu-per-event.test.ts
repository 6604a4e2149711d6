import { expect, test } from 'vitest';
import { cpuPerEvent, cpuPerEventText } from './cpu-per-event.ts';
import type { ProcessUsage } from './proc-sampler.ts';

const usage = (cpuSeconds: number, extra: Partial<ProcessUsage> = {}): ProcessUsage => ({
  cpuPercentAvg: 0,
  cpuPercentMax: 0,
  rssMiBMax: 0,
  rssMiBEnd: 0,
  anonMiBMax: 0,
  fileMiBMax: 0,
  cpuSeconds,
  seconds: 10,
  ...extra,
});

test('CPU per event sums the processes, and splits those tracked with threads by class', () => {
  const cpu = cpuPerEvent(
    {
      broker: usage(1),
      pipeline: usage(6, { threadCpuSeconds: { main: 3, node: 2, engine: 0.9 } }),
    },
    100_000,
  );
  expect(cpu).toEqual({
    totalUs: 70,
    byProcess: { broker: 10, pipeline: 60 },
    byThread: { pipeline: { main: 30, node: 20, engine: 9 } },
  });
  expect(cpuPerEventText(cpu)).toBe('CPU 70 us/event (broker 10, pipeline 60 [main 30, node 20, engine 9])');
});

test('net of idle takes off each process’s idle rate over the window; no events, no figure', () => {
  const cpu = cpuPerEvent({ broker: usage(2) }, 100_000, { broker: usage(0.5, { seconds: 10 }) });
  expect(cpu?.netOfIdleUs).toBe(15);
  expect(cpu?.byThread).toBeUndefined();
  expect(cpuPerEvent({ broker: usage(2) }, 0)).toBeUndefined();
  expect(cpuPerEventText(undefined)).toBe('CPU per event n/a');
});
