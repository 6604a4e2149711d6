/** The histogram buckets of the Shopfloor metrics (also listed in the README). */

/** Seconds: from a fast in-memory step to a sync POST that waits up to its 10 s timeout. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Records per transaction or group: one event up to the largest batch a POST may hold, and beyond. */
export const SIZE_BUCKETS = [1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000];
/** Partitions in one projector group: events.change-batches has SHOPFLOOR_PARTITIONS (default 2), plus the dlq. */
export const PARTITION_BUCKETS = [1, 2, 3, 4, 6, 8, 12, 16, 32, 64];
/** A restore from a local checkpoint takes milliseconds; a full one of millions of entries, minutes. */
export const RESTORE_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];
