/** The IPC between the bench (parent) and the processes it starts. */
export type ParentMessage = { id: number; type: string; args?: unknown } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; url: string; info?: Record<string, unknown> }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'progress'; text: string }
  | { type: 'failed'; error: string };

type Handler = (args: unknown) => Promise<unknown> | unknown;

/**
 * The child side: answers the parent's requests, and stops (then exits) on `stop`, on SIGTERM or
 * SIGINT, or when the parent goes away (IPC disconnect), so no child outlives the bench.
 */
export function serveParent(handlers: Record<string, Handler>, stop: () => Promise<void>): void {
  const send = (m: ChildMessage) => {
    if (process.connected) process.send?.(m);
  };
  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    void stop()
      .catch((err) => process.stderr.write(`stop failed: ${(err as Error).stack}\n`))
      .finally(() => process.exit(code));
  };
  process.on('message', (raw) => {
    const m = raw as ParentMessage;
    if (m.type === 'stop') return shutdown(0);
    if (!('id' in m)) return;
    const handler = handlers[m.type];
    if (!handler) return send({ type: 'reply', id: m.id, ok: false, error: `no handler for ${m.type}` });
    Promise.resolve()
      .then(() => handler(m.args))
      .then(
        (value) => send({ type: 'reply', id: m.id, ok: true, value }),
        (err) => send({ type: 'reply', id: m.id, ok: false, error: (err as Error).stack ?? String(err) }),
      );
  });
  process.on('disconnect', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
}

export function announceReady(url: string, info?: Record<string, unknown>): void {
  process.send?.({ type: 'ready', url, ...(info ? { info } : {}) } satisfies ChildMessage);
}

export function reportProgress(text: string): void {
  process.send?.({ type: 'progress', text } satisfies ChildMessage);
}

/** Runs a child's start-up; a failure is reported to the parent before the process exits. */
export async function runChild(start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    process.send?.({ type: 'failed', error: (err as Error).stack ?? String(err) } satisfies ChildMessage);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}
