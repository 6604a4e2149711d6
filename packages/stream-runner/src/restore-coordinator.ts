import type { RestoreReport } from './changelog-restorer.ts';

/** Restores the state of these partitions from their changelog (see restoreFromChangelog). */
export type RestorePartitions = (
  partitions: number[],
  heartbeat: () => Promise<void>,
) => Promise<RestoreReport[]>;

/** Where a member stands with its restores, for `/ready` (see restoreReadiness in @shopfloor/ops). */
export type RestoreProgress = {
  /** False until the member's first group join. */
  joined: boolean;
  assigned: number[];
  /** Assigned partitions whose state is not restored yet (since the last join, or invalidated since). */
  pending: number[];
  /** Why the last restore failed, while it has not succeeded again. */
  lastError?: string;
};

/** Thrown inside a restore whose assignment was replaced (a rebalance) or whose member stops. */
export class RestoreSuperseded extends Error {
  constructor() {
    super('restore superseded: the assignment changed or the member is stopping');
  }
}

/**
 * Makes sure a partition's state is restored before anything is decided on it. A group join starts
 * a restore of every assigned partition at once, in the background (one reader for all of them),
 * so that a member is ready, and says so on `/ready`, before its first batch, and idle partitions
 * are restored too. A batch waits for its partition's restore; a failed transaction or restore
 * asks again for its partition only. Restores run one after the other, never two at once (two
 * readers applying one partition's changelog could move its checkpoint backwards), and one that a
 * new join or a stop supersedes is aborted at its next heartbeat.
 */
export class RestoreCoordinator {
  private assignment: number[] = [];
  private joined = false;
  private generation = 0;
  /** Per partition, the restore its next batch waits for (settled ones included). */
  private readonly restores = new Map<number, Promise<void>>();
  private readonly restored = new Set<number>();
  private lastError: string | undefined;
  /** The latest restore started; the next one starts after it settled. */
  private previous: Promise<unknown> = Promise.resolve();
  /** Heartbeats of the batches waiting for a restore: a long restore keeps the group membership. */
  private readonly waiting = new Set<() => Promise<void>>();
  private retryTimer: NodeJS.Timeout | undefined;
  private failuresInARow = 0;
  private closed = false;

  constructor(
    private readonly restore: RestorePartitions,
    private readonly onRestored: (reports: RestoreReport[]) => void = () => {},
    private readonly options: { eager?: boolean; retryDelayMs?: (failures: number) => number } = {},
  ) {}

  /** A new assignment from a group join: every partition is restored again, starting now. */
  assign(partitions: readonly number[]): void {
    this.generation++;
    this.joined = true;
    this.assignment = [...partitions].sort((a, b) => a - b);
    this.restores.clear();
    this.restored.clear();
    this.lastError = undefined;
    this.failuresInARow = 0;
    clearTimeout(this.retryTimer);
    if (this.options.eager !== false) this.restoreAssigned();
  }

  assigned(): number[] {
    return this.assignment;
  }

  progress(): RestoreProgress {
    return {
      joined: this.joined,
      assigned: this.assignment,
      pending: this.assignment.filter((p) => !this.restored.has(p)),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** The state of `partition` may be stale (another member may have written it): restore it again. */
  invalidate(partition: number): void {
    this.restores.delete(partition);
    this.restored.delete(partition);
  }

  async ensureRestored(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    const run = this.restores.get(partition) ?? this.start([partition]);
    this.waiting.add(heartbeat);
    try {
      await run;
    } finally {
      this.waiting.delete(heartbeat);
    }
  }

  /** Aborts the restore in flight at its next heartbeat; resolves once no restore runs. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    await this.previous.catch(() => {});
  }

  private restoreAssigned(): void {
    if (this.assignment.every((p) => this.restores.has(p))) return;
    this.start([]).catch(() => {}); // a failure schedules a retry (below)
  }

  /** Restores `partitions` and every assigned partition not restored or being restored. */
  private start(partitions: number[]): Promise<void> {
    const generation = this.generation;
    const wanted = [...new Set([...this.assignment, ...partitions])]
      .filter((p) => !this.restores.has(p))
      .sort((a, b) => a - b);
    const heartbeat = async () => {
      if (generation !== this.generation || this.closed) throw new RestoreSuperseded();
      const waiting = this.waiting.values().next().value;
      if (waiting) await waiting();
    };
    const run = this.previous
      .catch(() => {})
      .then(() => {
        if (generation !== this.generation || this.closed) throw new RestoreSuperseded();
        return this.restore(wanted, heartbeat);
      })
      .then((reports) => {
        if (generation === this.generation) {
          for (const p of wanted) this.restored.add(p);
          this.lastError = undefined;
          this.failuresInARow = 0;
        }
        this.onRestored(reports);
      });
    this.previous = run;
    for (const p of wanted) this.restores.set(p, run);
    // A failed restore is forgotten, so the next batch of each of its partitions tries again; a
    // background retry covers the partitions no batch arrives for.
    run.catch((err: Error) => {
      for (const p of wanted) if (this.restores.get(p) === run) this.restores.delete(p);
      if (generation !== this.generation || err instanceof RestoreSuperseded) return;
      this.lastError = err.message;
      this.failuresInARow++;
      if (this.options.eager === false) return;
      clearTimeout(this.retryTimer);
      const delay =
        this.options.retryDelayMs?.(this.failuresInARow) ?? Math.min(10_000, 500 * 2 ** this.failuresInARow);
      this.retryTimer = setTimeout(() => {
        if (generation === this.generation) this.restoreAssigned();
      }, delay);
      this.retryTimer.unref();
    });
    return run;
  }
}
