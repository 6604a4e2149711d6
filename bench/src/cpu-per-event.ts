import type { ProcessUsage } from './proc-sampler.ts';

/** CPU microseconds per event: all the sampled processes summed, and each one's share. */
export type CpuPerEvent = { totalUs: number; byProcess: Record<string, number> };

/**
 * The issue-10 figure: CPU time of every process of the run (load generator, broker, registry,
 * system under test) over the scenario's window, divided by the events it made visible. Less
 * sensitive to other load on a shared machine than events/s: it counts work, not wall time
 * (though a starved process still spends more on timers and polls per event).
 */
export function cpuPerEvent(usage: Record<string, ProcessUsage>, events: number): CpuPerEvent | undefined {
  if (events <= 0) return undefined;
  const byProcess: Record<string, number> = {};
  let total = 0;
  for (const [name, u] of Object.entries(usage)) {
    byProcess[name] = Math.round((u.cpuSeconds * 1e6) / events);
    total += u.cpuSeconds;
  }
  return { totalUs: Math.round((total * 1e6) / events), byProcess };
}

export function cpuPerEventText(cpu: CpuPerEvent | undefined): string {
  if (!cpu) return 'CPU per event n/a';
  const parts = Object.entries(cpu.byProcess).map(([name, us]) => `${name} ${us}`);
  return `CPU ${cpu.totalUs} us/event (${parts.join(', ')})`;
}
