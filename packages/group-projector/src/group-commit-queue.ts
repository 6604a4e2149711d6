/**
 * Group commit: items offered within `windowMs` of the first one form one group, handed to `flush`
 * together; flushes run one after another, and a flush takes every item offered until it starts
 * (so items offered while one runs join the next). Each offer settles with its group's flush.
 */
export interface GroupCommitQueue<T> {
  offer(item: T): Promise<void>;
  /** Closes the open window now, if one is open: its items flush once the flush before them ends. */
  hurry(): void;
}

type Waiting<T> = { item: T; resolve: () => void; reject: (err: unknown) => void };

export function createGroupCommitQueue<T>(options: {
  /** A number, or asked each time a window opens (a window's length can follow the demand). */
  windowMs: number | (() => number);
  flush: (items: T[]) => Promise<void>;
}): GroupCommitQueue<T> {
  let waiting: Waiting<T>[] = [];
  let flushes: Promise<void> = Promise.resolve();
  let window: ReturnType<typeof setTimeout> | undefined;

  const flushWaiting = async () => {
    const taken = waiting;
    waiting = [];
    if (taken.length === 0) return;
    try {
      await options.flush(taken.map((w) => w.item));
      for (const w of taken) w.resolve();
    } catch (err) {
      for (const w of taken) w.reject(err);
    }
  };
  const closeWindow = () => {
    clearTimeout(window);
    window = undefined;
    flushes = flushes.then(flushWaiting);
  };

  return {
    offer(item) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (window !== undefined) return;
        window = setTimeout(
          closeWindow,
          typeof options.windowMs === 'number' ? options.windowMs : options.windowMs(),
        );
      });
    },
    hurry() {
      if (window !== undefined) closeWindow();
    },
  };
}
