import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatProgress, runRebuildCommand } from './rebuild-client.ts';
import { idleStatus, type RebuildStatus } from './rebuild-progress.ts';

const running = (done: number): RebuildStatus => ({
  ...idleStatus(),
  state: 'running',
  phase: 'copying',
  done,
  total: 1_000,
  records: done,
  recordsPerSecond: 250,
  etaSeconds: (1_000 - done) / 250,
});

/** A fake of the admin API answering the statuses in turn (the real one: rebuild.integration.test.ts). */
function fakeApi(statuses: RebuildStatus[], postStatus = 202) {
  const calls: string[] = [];
  const keys: (string | undefined)[] = [];
  const fetch = (async (_url: URL, init?: RequestInit) => {
    calls.push(init?.method ?? 'GET');
    keys.push(new Headers(init?.headers).get('x-api-key') ?? undefined);
    const body =
      init?.method === 'POST' && postStatus === 409
        ? { code: 'REBUILD_RUNNING', message: 'a rebuild is already running', status: statuses[0] }
        : statuses.length > 1
          ? statuses.shift()
          : statuses[0];
    return new Response(JSON.stringify(body), { status: init?.method === 'POST' ? postStatus : 200 });
  }) as typeof globalThis.fetch;
  return { fetch, calls, keys };
}

function capture() {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe('rebuild client', () => {
  it('sends the operator key on every call when given one (with auth on, /admin/* takes it)', async () => {
    const done = { ...running(1_000), state: 'succeeded' as const, phase: 'done' as const };
    const api = fakeApi([running(0), done]);
    const { out } = capture();
    const options = { url: 'http://127.0.0.1:1', out, fetch: api.fetch, pollIntervalMs: 1 };
    expect(await runRebuildCommand({ ...options, apiKey: 'sfk_op.secret' })).toBe(0);
    expect(api.keys.length).toBeGreaterThan(1);
    expect(api.keys.every((k) => k === 'sfk_op.secret')).toBe(true);
    api.keys.length = 0;
    await runRebuildCommand(options);
    expect(api.keys.every((k) => k === undefined)).toBe(true);
  });

  it('draws a bar with records, rate, ETA and phase', () => {
    expect(formatProgress(running(250), 10)).toBe(
      '[###-------]  25% 250/1,000 records · 250 records/s · ETA 3 s · copying',
    );
  });

  it('follows a rebuild to its end and exits 0 when it succeeded', async () => {
    const done = { ...running(1_000), state: 'succeeded' as const, phase: 'done' as const };
    const api = fakeApi([running(0), running(500), done]);
    const { out, text } = capture();
    expect(
      await runRebuildCommand({ url: 'http://127.0.0.1:1', out, fetch: api.fetch, pollIntervalMs: 1 }),
    ).toBe(0);
    expect(api.calls[0]).toBe('POST');
    expect(text()).toContain(' 50% 500/1,000 records');
    expect(text()).toContain('rebuild succeeded: 1000 records re-projected');
  });

  it('joins a rebuild already running (409) and exits 1 when it failed', async () => {
    const failed = { ...running(10), state: 'failed' as const, error: 'boom' };
    const api = fakeApi([running(0), failed], 409);
    const { out, text } = capture();
    expect(
      await runRebuildCommand({ url: 'http://127.0.0.1:1', out, fetch: api.fetch, pollIntervalMs: 1 }),
    ).toBe(1);
    expect(text()).toContain('rebuild failed: boom; the serving tables are unchanged');
  });

  it('exits 1 with the reason when the process cannot be reached', async () => {
    const fetch = (async () => {
      throw new Error('connect ECONNREFUSED');
    }) as typeof globalThis.fetch;
    const { out, text } = capture();
    expect(await runRebuildCommand({ url: 'http://127.0.0.1:1', out, fetch })).toBe(1);
    expect(text()).toContain('ECONNREFUSED');
  });
});
