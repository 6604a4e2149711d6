// What every table and every API answer must hold, computed from the winners alone (one version per
// eventId: the last one acknowledged), independently of the pipeline's code (its rules are written
// again here on purpose, as an oracle; only the answer types come from the contracts).
import type { MachineStatsResponse, TopDefectLine } from '@shopfloor/contracts';
import type { MachineEvent } from './workload.ts';

export type Counts = { events: number; defects: number };
export type EventRow = Omit<MachineEvent, 'eventTime'> & { eventTimeMs: number };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** `defectCount = -1` (unknown) counts as an event but never as defects. */
export const defectsOf = (defectCount: number) => (defectCount >= 0 ? defectCount : 0);
export const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

export const machineMinuteKey = (machineId: string, minuteMs: number) => `${machineId} @ ${minuteMs}`;
export const lineMinuteKey = (factoryId: string, lineId: string, minuteMs: number) =>
  `${factoryId} / ${lineId} @ ${minuteMs}`;

function add(map: Map<string, Counts>, key: string, defectCount: number): void {
  const c = map.get(key) ?? { events: 0, defects: 0 };
  c.events += 1;
  c.defects += defectsOf(defectCount);
  map.set(key, c);
}

export type MachineStatsAnswer = Pick<
  MachineStatsResponse,
  'eventsCount' | 'defectsCount' | 'avgDefectRate' | 'status'
>;
export type TopLine = TopDefectLine;

export class ExpectedState {
  /** Rows of `events FINAL`, by eventId. */
  readonly events = new Map<string, EventRow>();
  /** Net events/defects per (machine, minute): machine_minute_stats and event_changes. */
  readonly machineMinutes = new Map<string, Counts>();
  /** Net events/defects per (factory, line, minute): line_minute_stats and event_changes_by_factory. */
  readonly lineMinutes = new Map<string, Counts>();

  constructor(winners: Iterable<MachineEvent>) {
    for (const w of winners) {
      const eventTimeMs = Date.parse(w.eventTime);
      const { eventTime: _t, ...rest } = w;
      this.events.set(w.eventId, { ...rest, eventTimeMs });
      const minute = minuteOf(eventTimeMs);
      add(this.machineMinutes, machineMinuteKey(w.machineId, minute), w.defectCount);
      add(this.lineMinutes, lineMinuteKey(w.factoryId, w.lineId, minute), w.defectCount);
    }
  }

  private inWindow(startMs: number, endMs: number): EventRow[] {
    return [...this.events.values()].filter((e) => e.eventTimeMs >= startMs && e.eventTimeMs < endMs);
  }

  /** GET /stats over [start, end). */
  machineStats(machineId: string, startMs: number, endMs: number): MachineStatsAnswer {
    const rows = this.inWindow(startMs, endMs).filter((e) => e.machineId === machineId);
    const defectsCount = rows.reduce((sum, e) => sum + defectsOf(e.defectCount), 0);
    const avgDefectRate = endMs > startMs ? defectsCount / ((endMs - startMs) / HOUR) : 0;
    return {
      eventsCount: rows.length,
      defectsCount,
      avgDefectRate,
      status: avgDefectRate < 2 ? 'Healthy' : 'Warning',
    };
  }

  /** GET /stats/top-defect-lines over [from, to): lines with events, most defects first, ties by lineId. */
  topDefectLines(factoryId: string, fromMs: number, toMs: number, limit: number): TopLine[] {
    const lines = new Map<string, { totalDefects: number; eventCount: number }>();
    for (const e of this.inWindow(fromMs, toMs)) {
      if (e.factoryId !== factoryId) continue;
      const l = lines.get(e.lineId) ?? { totalDefects: 0, eventCount: 0 };
      l.totalDefects += defectsOf(e.defectCount);
      l.eventCount += 1;
      lines.set(e.lineId, l);
    }
    return [...lines]
      .map(([lineId, l]) => ({
        lineId,
        ...l,
        // totalDefects × 100 / eventCount rounded half up to 2 decimals, in integers.
        defectsPercent: Math.floor((l.totalDefects * 20_000 + l.eventCount) / (2 * l.eventCount)) / 100,
      }))
      .sort(
        (a, b) => b.totalDefects - a.totalDefects || (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0),
      )
      .slice(0, limit);
  }
}
