import type { MachineEvent } from '@shopfloor/contracts';

/**
 * A small workload for the BI tests: four machines on three lines of two factories over two days,
 * with exact duplicates, corrections (some moving the event to another machine, line, factory and
 * hour), unknown defect counts (-1) and rejected events.
 */
const MACHINES = [
  { machineId: 'bi-M1', lineId: 'bi-L1', factoryId: 'bi-F1' },
  { machineId: 'bi-M2', lineId: 'bi-L2', factoryId: 'bi-F1' },
  { machineId: 'bi-M3', lineId: 'bi-L3', factoryId: 'bi-F2' },
  { machineId: 'bi-M4', lineId: 'bi-L1', factoryId: 'bi-F1' },
] as const;

export const BI_MACHINES = MACHINES.map((m) => m.machineId);
export const BI_FACTORIES = ['bi-F1', 'bi-F2'];
export const BI_DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];

function event(i: number): MachineEvent {
  const day = i % 2 === 0 ? '2026-03-01' : '2026-03-02';
  const at = new Date(`${day}T00:00:00.000Z`).getTime() + ((8 + (i % 3)) * 60 + ((i * 7) % 60)) * 60_000;
  return {
    eventId: `bi-e${i}`,
    eventTime: new Date(at + ((i * 137) % 60_000)).toISOString(),
    ...MACHINES[i % MACHINES.length]!,
    durationMs: 1000 + i,
    defectCount: i % 7 === 0 ? -1 : i % 5,
  };
}

/** The batches, in posting order. */
export function biWorkloadBatches(): unknown[][] {
  const originals = Array.from({ length: 120 }, (_, i) => event(i));
  const duplicates = originals.slice(0, 20);
  const corrections = originals.slice(20, 40).map((e, k) => {
    if (k >= 10) return { ...e, defectCount: e.defectCount + 2 };
    const moved = MACHINES[(k + 1) % MACHINES.length]!;
    return {
      ...e,
      ...moved,
      defectCount: 6,
      eventTime: new Date(Date.parse(e.eventTime) + 3_600_000).toISOString(),
    };
  });
  const rejected = [
    { ...event(200), durationMs: -5 },
    { ...event(201), defectCount: -2 },
    { ...event(202), eventTime: 'yesterday' },
    { eventId: 'bi-e203', machineId: 'bi-M1' },
    event(204),
  ];
  return [originals.slice(0, 60), [...originals.slice(60), ...duplicates], corrections, rejected];
}
