// The JSON the page polls (`GET /dashboard/api/snapshot`). Shared by the server and the browser
// bundle, so it imports nothing.

export const WINDOW_KEYS = ['15m', '1h', '24h', '7d'] as const;
export type WindowKey = (typeof WINDOW_KEYS)[number];

/** Outcomes as the API reports them (`stale` is counted as `deduped`, as `POST /events/batch` does). */
export const OUTCOMES = ['accepted', 'deduped', 'updated', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;

/** One part of the page: its data, or why it could not be read (the other parts still show). */
export type Section<T> = { ok: true; data: T } | { ok: false; error: string };

export interface IngestView {
  /** Outcomes over the whole dashboard window. */
  totals: OutcomeCounts;
  /** Events per second over the last minute, per outcome. */
  perSecond: OutcomeCounts;
  bucketMs: number;
  /** The last few minutes in buckets, oldest first (every bucket present, zeros included). */
  buckets: ({ startMs: number } & OutcomeCounts)[];
}

export interface ReasonCount {
  reason: string;
  events: number;
}

export interface MachineView {
  machineId: string;
  eventsCount: number;
  defectsCount: number;
  avgDefectRate: number;
  status: 'Healthy' | 'Warning';
}

export interface TopLineView {
  lineId: string;
  totalDefects: number;
  eventCount: number;
  defectsPercent: number;
}

export interface FactoryView {
  /** Factories with events in the window, by id. */
  ids: string[];
  /** The factory whose lines are shown: the one asked for, else the first one; null when none. */
  selected: string | null;
  topLines: TopLineView[];
}

export interface DeadLetterView {
  batchId: string;
  seq: number;
  eventId: string | null;
  reason: string;
  message: string;
  receivedAt: string;
}

export interface LagView {
  groupId: string;
  totalLag: number;
  partitions: {
    topic: string;
    partition: number;
    committedOffset: number | null;
    logEndOffset: number;
    lag: number;
  }[];
}

/** An alert as the panels show it (the fields of the `/api/alerts/…` answers they need). */
export interface AlertView {
  alertId: string;
  equipmentId: string;
  sensorType: string;
  severity: 'LOW' | 'MEDIUM' | 'CRITICAL';
  status: 'OPEN' | 'RESOLVED';
  value: number;
  zScore: number | null;
  raisedAt: string;
}

export const EQUIPMENT_STATUS_KEYS = ['OK', 'WARNING', 'CRITICAL'] as const;

export interface SensorStreamView {
  /** Equipment per status, as `GET /api/equipment?status=` lists it, and in all. */
  equipment: Record<(typeof EQUIPMENT_STATUS_KEYS)[number], number> & { total: number };
  /** Open CRITICAL alerts, newest first (`GET /api/alerts/critical?limit=10`). */
  criticalAlerts: AlertView[];
  /** The latest alerts, newest first (`GET /api/alerts/history?limit=10`). */
  recentAlerts: AlertView[];
}

export interface ClientTotalsView {
  clientId: string;
  count: number;
  /** Exact (a decimal string), as `totalAmountExact` of `GET /aggregates`. */
  totalAmount: string;
}

export interface MetricEventsView {
  /** Counted events with a timestamp in the window (duplicates and failures never count). */
  processed: number;
  /** Failed events received in the window: rejected at the edge and failed in processing. */
  failed: number;
  failedByReason: ReasonCount[];
  /** The clients with the largest total amount in the window (`GET /aggregates` of each). */
  topClients: ClientTotalsView[];
}

export interface DashboardSnapshot {
  generatedAt: string;
  /** The window of every windowed part: `[start, end)`, ISO-8601, whole minutes. */
  window: { key: WindowKey; start: string; end: string };
  refreshMs: number;
  ingest: Section<IngestView>;
  rejections: Section<ReasonCount[]>;
  machines: Section<MachineView[]>;
  factories: Section<FactoryView>;
  deadLetters: Section<DeadLetterView[]>;
  lag: Section<LagView[]>;
  sensors: Section<SensorStreamView>;
  metricEvents: Section<MetricEventsView>;
}
