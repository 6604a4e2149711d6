import type { ProcessUsage } from './proc-sampler.ts';

/** CPU microseconds per event: all the sampled processes summed, and each one's share. */
export type CpuPerEvent = {
  totalUs: number;
  byProcess: Record<string, number>;
  /**
   * The same, minus what each process spends when idle (its CPU rate in a quiet window after the
   * warm-up, times the scenario's length): heartbeats, polls, the registry's JVM. On a starved
   * machine the fixed cost is spread over few events, which inflates totalUs.
   */
  netOfIdleUs?: number;
  /** Per process tracked with its threads: its figure split by thread class (main, node, engine). */
  byThread?: Record<string, Record<string, number>>;
};

/**
 * The issue-10 figure: CPU time of every process of the run (load generator, broker, registry,
 * system under test) over the scenario's window, divided by the events it made visible. Less
 * sensitive to other load on a shared machine than events/s: it counts work, not wall time
 * (though a starved process still spends more on timers and polls per event).
 */
export function cpuPerEvent(
  usage: Record<string, ProcessUsage>,
  events: number,
  idle?: Record<string, ProcessUsage>,
): CpuPerEvent | undefined {
  if (events <= 0) return undefined;
  const byProcess: Record<string, number> = {};
  const byThread: Record<string, Record<string, number>> = {};
  let total = 0;
  let net = 0;
  for (const [name, u] of Object.entries(usage)) {
    byProcess[name] = Math.round((u.cpuSeconds * 1e6) / events);
    if (u.threadCpuSeconds) {
      byThread[name] = Object.fromEntries(
        Object.entries(u.threadCpuSeconds).map(([cls, sec]) => [cls, Math.round((sec * 1e6) / events)]),
      );
    }
    total += u.cpuSeconds;
    const i = idle?.[name];
    const idleRate = i && i.seconds > 0 ? i.cpuSeconds / i.seconds : 0;
    net += Math.max(0, u.cpuSeconds - idleRate * u.seconds);
  }
  return {
    totalUs: Math.round((total * 1e6) / events),
    byProcess,
    ...(idle ? { netOfIdleUs: Math.round((net * 1e6) / events) } : {}),
    ...(Object.keys(byThread).length > 0 ? { byThread } : {}),
  };
}

export function cpuPerEventText(cpu: CpuPerEvent | undefined): string {
  if (!cpu) return 'CPU per event n/a';
  const parts = Object.entries(cpu.byProcess).map(([name, us]) => {
    const threads = cpu.byThread?.[name];
    const split = threads
      ? ` [${Object.entries(threads)
          .map(([cls, x]) => `${cls} ${x}`)
          .join(', ')}]`
      : '';
    return `${name} ${us}${split}`;
  });
  const net = cpu.netOfIdleUs === undefined ? '' : `; net of idle ${cpu.netOfIdleUs}`;
  return `CPU ${cpu.totalUs} us/event (${parts.join(', ')}${net})`;
}
