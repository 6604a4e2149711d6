/** Machines, lines and the factory one scenario writes to: its own, so its count is its alone. */
export type Fleet = { machines: string[]; lines: string[]; factory: string };

export function fleet(tag: string, machines = 8, lines = 4): Fleet {
  return {
    machines: Array.from({ length: machines }, (_, i) => `${tag}-M${i}`),
    lines: Array.from({ length: lines }, (_, i) => `${tag}-L${i}`),
    factory: `${tag}-F`,
  };
}

/**
 * JSON of a batch of `n` new events (ids `${idPrefix}-${first + i}`), built as a string: the load
 * generator must cost little next to the system it measures. Event times are spread over the last
 * minute before `nowMs`.
 */
export function batchJson(f: Fleet, idPrefix: string, first: number, n: number, nowMs: number): string {
  const parts: string[] = new Array(n);
  const base = nowMs - 1000;
  for (let i = 0; i < n; i++) {
    const k = first + i;
    const m = k % f.machines.length;
    const time = new Date(base - ((k * 7919) % 60_000)).toISOString();
    const defects = k % 11 === 0 ? -1 : k % 4;
    parts[i] =
      `{"eventId":"${idPrefix}-${k}","eventTime":"${time}","machineId":"${f.machines[m]}",` +
      `"lineId":"${f.lines[m % f.lines.length]}","factoryId":"${f.factory}",` +
      `"durationMs":${1000 + (k % 977)},"defectCount":${defects}}`;
  }
  return `[${parts.join(',')}]`;
}

/** A window covering every event the bench writes (events are at most a minute old). */
export function allTimeWindow(sinceMs: number): { start: string; end: string } {
  return {
    start: new Date(sinceMs - 3_600_000).toISOString(),
    end: new Date(Date.now() + 24 * 3_600_000).toISOString(),
  };
}
