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

/** The topic names under `prefix` (`''` gives `events.raw`, …). */
export function shopfloorTopics(prefix = ''): ShopfloorTopics {
  return {
    raw: `${prefix}events.raw`,
    state: `${prefix}events.state`,
    changes: `${prefix}events.change-batches`,
    deadLetter: `${prefix}events.dlq`,
    outcomes: `${prefix}events.outcomes`,
    invalid: `${prefix}events.invalid`,
    keys: `${prefix}shopfloor.keys`,
  };
}
