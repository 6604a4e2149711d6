/**
 * How long the all-in-one may take to stop on SIGTERM/SIGINT (drain, then close; the broker and
 * the registry last) before it exits 1 anyway.
 */
export const STOP_DEADLINE_MS = 30_000;
