/** One line a service wrote: pino JSON when it parses as an object, else just the text. */
export interface ServiceLogLine {
  stream: 'stdout' | 'stderr';
  /** Milliseconds since the process was spawned. */
  at: number;
  line: string;
  json?: Record<string, unknown>;
  /** pino's `msg`, or the whole line when it is not JSON. */
  msg: string;
}

export type LogPredicate = (entry: ServiceLogLine) => boolean;

/** The lines a child process wrote, and waits for one of them. */
export interface ServiceLog {
  readonly lines: ServiceLogLine[];
  add(stream: ServiceLogLine['stream'], line: string): void;
  /** Wakes the waiters (a new line, or the process ended). */
  notify(): void;
  /** The last `n` lines, for error messages. */
  tail(n?: number): string;
  /**
   * The first line at index `fromIndex` or later that matches. Rejects past `timeoutMs`, or as soon
   * as `exited()` tells that the process ended (its exit code or signal, and a spawn error if any).
   */
  waitFor(
    predicate: LogPredicate,
    timeoutMs: number,
    fromIndex: number,
    exited: () => { status: string; spawnError: string | undefined } | undefined,
  ): Promise<ServiceLogLine>;
}

export function serviceLog(label: string, started: number, echo: boolean): ServiceLog {
  const lines: ServiceLogLine[] = [];
  const listeners = new Set<() => void>();
  const tail = (n = 30) =>
    lines
      .slice(-n)
      .map((l) => `  ${l.line}`)
      .join('\n');
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  return {
    lines,
    notify,
    tail,
    add(stream, line) {
      const json = jsonObjectOf(line);
      const msg = typeof json?.msg === 'string' ? json.msg : line;
      lines.push({ stream, at: Date.now() - started, line, msg, ...(json ? { json } : {}) });
      if (echo) process.stderr.write(`[${label}] ${line}\n`);
      notify();
    },
    waitFor: (predicate, timeoutMs, fromIndex, exited) =>
      new Promise<ServiceLogLine>((resolve, reject) => {
        let next = fromIndex;
        let settled = false;
        const finish = (err: Error | undefined, entry?: ServiceLogLine) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(entry!);
        };
        const check = () => {
          for (; next < lines.length; next++) {
            const entry = lines[next]!;
            if (predicate(entry)) return finish(undefined, entry);
          }
          const exit = exited();
          if (exit !== undefined)
            finish(
              new Error(
                `${label} exited (${exit.status}) without the awaited log line${exit.spawnError ? `: ${exit.spawnError}` : ''}; last lines:\n${tail()}`,
              ),
            );
        };
        const timer = setTimeout(
          () =>
            finish(
              new Error(`${label}: no matching log line within ${timeoutMs} ms; last lines:\n${tail()}`),
            ),
          timeoutMs,
        );
        listeners.add(check);
        check();
      }),
  };
}

function jsonObjectOf(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {}
  return undefined;
}
