/**
 * The names of the pipeline's topics (one prefix for all of them isolates several systems on one
 * broker). The config derives them; the Kafka plumbing creates them; the runners read and write them.
 */
export type ShopfloorTopics = {
  raw: string;
  state: string;
  /**
   * The decisions of the dedupe consumers, one ChangeBatchRecord per dedupe transaction
   * (`events.change-batches`): what the projector reads. A new topic rather than a new version of
   * the per-decision `events.changes`, whose FULL_TRANSITIVE subject cannot take a batch record.
   */
  changes: string;
  deadLetter: string;
  outcomes: string;
  /** Records a consumer could not decode (corrupt bytes, unknown wire version). */
  invalid: string;
  /** API key changes (compacted, keyed by keyId): every HTTP process follows it. */
  keys: string;
};

/**
 * Each name of `names` under `prefix`: the one rule by which every stream's topics are named (the
 * events pipeline's here, the metric-events and sensor streams' in their services).
 */
export function topicsUnder<T extends Record<string, string>>(
  prefix: string,
  names: T,
): { [K in keyof T]: string } {
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, `${prefix}${name}`])) as {
    [K in keyof T]: string;
  };
}

/** The topic names under `prefix` (`''` gives `events.raw`, …). */
export function shopfloorTopics(prefix = ''): ShopfloorTopics {
  return topicsUnder(prefix, {
    raw: 'events.raw',
    state: 'events.state',
    changes: 'events.change-batches',
    deadLetter: 'events.dlq',
    outcomes: 'events.outcomes',
    invalid: 'events.invalid',
    keys: 'shopfloor.keys',
  });
}
