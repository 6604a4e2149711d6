import type { MachineEvent } from '../event.ts';

/**
 * A valid machine event for tests (every field set, on 2026-03-01), with `overrides` applied. The
 * overrides may be of any type, so a test can build an invalid event the same way.
 */
export function sampleEvent(eventId: string, overrides: Record<string, unknown> = {}): MachineEvent {
  return {
    eventId,
    eventTime: '2026-03-01T09:00:00Z',
    machineId: 'M-1',
    lineId: 'L-1',
    factoryId: 'F-1',
    durationMs: 100,
    defectCount: 1,
    ...overrides,
  } as MachineEvent;
}
