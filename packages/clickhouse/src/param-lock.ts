// chdb (3.4) runs every statement with `{name:Type}` parameters through one chain per JS realm:
// two at once, on different connections, clobber each other's parameters in libchdb or abort the
// in-process engine (its index.js says why). A worker thread of the process is a realm of its own
// with a chain of its own, so the threads that read one engine share this lock as well: the main
// thread makes it, and hands its buffer to a worker (`adoptParamLock`) before that opens a session.

let lock: Int32Array | undefined;
/** This realm's lock cell, made on first use unless adopted. */
const cell = () => {
  lock ??= new Int32Array(new SharedArrayBuffer(4));
  return lock;
};

/** This realm's lock; its buffer goes to a worker thread that reads the same engine. */
export function paramLockBuffer(): SharedArrayBuffer {
  return cell().buffer as SharedArrayBuffer;
}

/** In a worker thread: use the main thread's lock instead of one of its own. */
export function adoptParamLock(buffer: SharedArrayBuffer): void {
  lock = new Int32Array(buffer);
}

// ES2024's Atomics.waitAsync (in Node since 16), not yet in this project's `lib`.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cell: Int32Array, index: number, value: number): { async: boolean; value: unknown };
  }
).waitAsync;

const UNLOCKED = 0;
const LOCKED = 1;

/**
 * Runs `statement` (one with parameters) while no other thread of the process runs one. The lock is
 * held until the statement's promise settles, which for chdb is its native completion (no abort
 * signal is given to a statement run here). Waiting never blocks the event loop (`Atomics.waitAsync`).
 */
export async function withParamLock<T>(statement: () => Promise<T>): Promise<T> {
  const lockCell = cell();
  if (Atomics.compareExchange(lockCell, 0, UNLOCKED, LOCKED) !== UNLOCKED) {
    // A pending waitAsync does not keep the event loop alive: this timer does, while it waits.
    const alive = setInterval(() => {}, 60_000);
    try {
      do {
        const wait = waitAsync(lockCell, 0, LOCKED);
        if (wait.async) await wait.value;
      } while (Atomics.compareExchange(lockCell, 0, UNLOCKED, LOCKED) !== UNLOCKED);
    } finally {
      clearInterval(alive);
    }
  }
  try {
    return await statement();
  } finally {
    Atomics.store(lockCell, 0, UNLOCKED);
    Atomics.notify(lockCell, 0, 1);
  }
}
