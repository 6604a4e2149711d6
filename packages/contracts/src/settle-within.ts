/**
 * `work`, or a rejection with `timedOut()` once `ms` passed before it settled; the timer is cleared
 * either way. Bounds a call that has no time limit of its own (a send, a probe, a registry call);
 * `work` itself goes on, nothing cancels it.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
