import type { RestoreReport } from './changelog-restorer.ts';

/** Restores the state of these partitions from their changelog (see restoreFromChangelog). */
export type RestorePartitions = (
  partitions: number[],
  heartbeat: () => Promise<void>,
) => Promise<RestoreReport[]>;

/**
 * Makes sure a partition's state is restored before anything is decided on it. A group join asks
 * for a restore of every assigned partition, started together by the first batch that needs one
 * (one reader for all of them); a failed transaction or restore asks again for its partition only.
 */
export class RestoreCoordinator {
  private assignment: number[] = [];
  /** Per partition, the restore its next batch waits for (settled ones included). */
  private readonly restores = new Map<number, Promise<void>>();

  constructor(
    private readonly restore: RestorePartitions,
    private readonly onRestored: (reports: RestoreReport[]) => void = () => {},
  ) {}

  /** A new assignment from a group join: every partition is restored again before its next batch. */
  assign(partitions: readonly number[]): void {
    this.assignment = [...partitions].sort((a, b) => a - b);
    this.restores.clear();
  }

  assigned(): number[] {
    return this.assignment;
  }

  /** The state of `partition` may be stale (another member may have written it): restore it again. */
  invalidate(partition: number): void {
    this.restores.delete(partition);
  }

  ensureRestored(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    const pending = this.restores.get(partition);
    if (pending) return pending;
    const wanted = [...new Set([...this.assignment, partition])].filter((p) => !this.restores.has(p));
    const run = this.restore(wanted, heartbeat).then(this.onRestored);
    for (const p of wanted) this.restores.set(p, run);
    // A failed restore is forgotten, so the next batch of each of its partitions tries again.
    run.catch(() => {
      for (const p of wanted) if (this.restores.get(p) === run) this.restores.delete(p);
    });
    return run;
  }
}
