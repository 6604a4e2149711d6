import type { OutcomeRecord } from '@shopfloor/contracts';
import type { SensorJobOutcome } from './sensor-projection.ts';

export type AlertVisibilityGateOptions = {
  /** Where a job's outcome goes once it and every alert it raised are in ClickHouse. */
  deliver: (outcome: OutcomeRecord) => void;
  /**
   * How long an outcome waits for its alerts, and how long a visible alert id is remembered for an
   * outcome still to come. Past it the webhook has answered 202 anyway (its sync timeout).
   */
  holdMs: number;
  /** Most alert ids and held outcomes remembered each (the oldest go first). */
  maxEntries?: number | undefined;
  now?: () => number;
};

/**
 * Joins the two sensor projectors for the webhook's default answer ("its row, and its alert if it
 * raised one, are in ClickHouse"): the readings projector reports a job's outcome with the alerts
 * it raised, the alert projector reports the alerts it made visible, in either order; an outcome
 * is delivered once all of its alerts were seen. Both sides are bounded in time and size, so a
 * replay (no one waiting) or a stopped lane leaves nothing behind for long.
 */
export function createAlertVisibilityGate(options: AlertVisibilityGateOptions) {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const visible = new Map<string, number>(); // alertId -> when it became visible (insertion order)
  const held = new Map<SensorJobOutcome, number>(); // outcome -> when it arrived (insertion order)

  const expire = <K>(entries: Map<K, number>, at: number) => {
    for (const [key, since] of entries) {
      if (at - since <= options.holdMs && entries.size <= maxEntries) break;
      entries.delete(key);
    }
  };
  const ready = (o: SensorJobOutcome) => o.alertIds.every((id) => visible.has(id));
  const deliver = ({ alertIds: _, ...outcome }: SensorJobOutcome) => options.deliver(outcome);

  return {
    /** The readings projector made these outcomes visible. */
    outcomesVisible(outcomes: readonly SensorJobOutcome[]): void {
      const at = now();
      expire(visible, at);
      for (const o of outcomes) {
        if (ready(o)) deliver(o);
        else held.set(o, at);
      }
      expire(held, at);
    },
    /** The alert projector made these alerts visible. */
    alertsVisible(alertIds: readonly string[]): void {
      const at = now();
      for (const id of alertIds) {
        visible.delete(id); // re-inserted: the map stays in time order
        visible.set(id, at);
      }
      expire(visible, at);
      expire(held, at);
      for (const o of held.keys()) {
        if (!ready(o)) continue;
        held.delete(o);
        deliver(o);
      }
    },
    /** Held outcomes and remembered alert ids (for the tests). */
    size: () => ({ held: held.size, visible: visible.size }),
  };
}

export type AlertVisibilityGate = ReturnType<typeof createAlertVisibilityGate>;
