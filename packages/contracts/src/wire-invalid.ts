// ---- events.invalid (key: the bad record's key) -------------------------------------------------

/** A record of ours that did not decode, parked by the bad-record policy with the reason. */
export type InvalidRecord = {
  v: 1;
  /** Where the bad record was read. */
  topic: string;
  partition: number;
  offset: string;
  error: string;
  /** The record's value exactly as read (null for a null value). */
  value: Buffer | null;
};
