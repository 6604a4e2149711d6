import type { RebuildStatus } from './rebuild-progress.ts';

// What the `shopfloor rebuild` command calls: start a rebuild on the ClickHouse-owning process
// (the projector or the all-in-one, `--url`), follow it with a progress bar, exit 0 once the rebuilt
// tables serve. Only fetch and a writable stream: no dependency on the process it talks to.

export type RebuildClientOptions = {
  /** Base URL of the ClickHouse-owning process, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Where the progress goes (a TTY gets one line redrawn in place). */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  pollIntervalMs?: number;
  fetch?: typeof fetch;
  /** Sent as X-API-Key when set: with auth on, /admin/* takes an operator key. */
  apiKey?: string | undefined;
  /** Stop following (Ctrl-C): the command then aborts the rebuild. */
  signal?: AbortSignal;
  /** Only these streams' projections (events, sensors, metric-events); default: every one. */
  streams?: readonly string[] | undefined;
};

export class RebuildClientError extends Error {
  override readonly name = 'RebuildClientError';
}

async function call(
  options: RebuildClientOptions,
  method: 'GET' | 'POST' | 'DELETE',
): Promise<RebuildStatus> {
  const doFetch = options.fetch ?? fetch;
  const url = new URL('/admin/rebuild', options.url);
  if (method === 'POST' && options.streams && options.streams.length > 0)
    url.searchParams.set('streams', options.streams.join(','));
  const response = await doFetch(url, {
    method,
    ...(options.apiKey ? { headers: { 'x-api-key': options.apiKey } } : {}),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<RebuildStatus> & {
    code?: string;
    message?: string;
    status?: RebuildStatus;
  };
  if (response.status === 409 && body.status) return body.status; // one already runs: follow it
  if (!response.ok)
    throw new RebuildClientError(
      `${method} /admin/rebuild: ${response.status} ${body.code ?? ''} ${body.message ?? ''}`.trim(),
    );
  return body as RebuildStatus;
}

/** Starts a rebuild (or joins the one running) and returns its status. */
export const startRebuild = (options: RebuildClientOptions) => call(options, 'POST');
export const getRebuildStatus = (options: RebuildClientOptions) => call(options, 'GET');
export const abortRebuild = (options: RebuildClientOptions) => call(options, 'DELETE');

/** `[#####-----]  42% 12 000/28 000 records · 3 100 records/s · ETA 6 s · copying` */
export function formatProgress(s: RebuildStatus, width = 30): string {
  const fraction = s.total > 0 ? Math.min(1, s.done / s.total) : s.state === 'succeeded' ? 1 : 0;
  const filled = Math.round(fraction * width);
  const n = (x: number) => x.toLocaleString('en-US');
  const eta = s.etaSeconds === null ? '?' : `${s.etaSeconds} s`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${n(s.done)}/${n(s.total)} records · ${n(s.recordsPerSecond)} records/s · ETA ${eta} · ${s.phase ?? s.state}`;
}

/**
 * Follows the rebuild until it ends, printing its progress; returns the exit code: 0 succeeded,
 * 1 failed or aborted, 130 when `signal` stopped the following (the rebuild is then aborted).
 */
export async function followRebuild(options: RebuildClientOptions): Promise<number> {
  const interval = options.pollIntervalMs ?? 1_000;
  const { out } = options;
  let last = '';
  for (;;) {
    if (options.signal?.aborted) {
      const s = await abortRebuild(options);
      out.write(`\nrebuild ${s.state}: the serving tables are unchanged\n`);
      return 130;
    }
    const s = await getRebuildStatus(options);
    const line = formatProgress(s);
    if (out.isTTY) out.write(`\r${line}`);
    else if (line !== last) out.write(`${line}\n`);
    last = line;
    if (s.state === 'succeeded') {
      const streams = s.streams?.length ? ` (${s.streams.join(', ')})` : '';
      out.write(
        `${out.isTTY ? '\n' : ''}rebuild succeeded${streams}: ${s.records} records re-projected; the rebuilt tables serve\n`,
      );
      return 0;
    }
    if (s.state === 'failed' || s.state === 'aborted' || s.state === 'idle') {
      out.write(
        `${out.isTTY ? '\n' : ''}rebuild ${s.state}${s.error ? `: ${s.error}` : ''}; the serving tables are unchanged\n`,
      );
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** The whole `shopfloor rebuild` command: start (or join) and follow. Returns the exit code. */
export async function runRebuildCommand(options: RebuildClientOptions): Promise<number> {
  try {
    await startRebuild(options);
    return await followRebuild(options);
  } catch (err) {
    options.out.write(`rebuild: ${(err as Error).message}\n`);
    return 1;
  }
}
