/**
 * How long the broker may hold a fetch that has no record to return, for consumers that fetch with
 * minBytes 1 (kafkajs' default). The broker answers such a fetch as soon as one record is readable
 * (for read_committed, as soon as a commit marker moves the last stable offset), so this bounds only
 * an empty poll, not the latency of a record. At 10-20 ms every idle member polled 50-100 times a
 * second: in the all-in-one at rest that was ~50 % of a core in the broker and ~25 % in the pipeline
 * (bench/README.md, Levers 11). A stopping member waits at most this long for its last fetch.
 */
export const EMPTY_FETCH_WAIT_MS = 500;
