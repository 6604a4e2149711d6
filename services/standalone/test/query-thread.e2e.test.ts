// The start command's split topology with its query thread (SHOPFLOOR_QUERY_THREAD, the default):
// the query routes are answered by a worker thread of the pipeline process, which the gateway
// process sends them to; the thread checks the API keys itself (it follows the key log as every
// process that serves HTTP does), and the other routes still reach the pipeline's main thread. Real
// broker and registry (the suite's), embedded ClickHouse, no mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueKey } from '@shopfloor/auth';
import { freePort, suiteStreamEnv, trackedAllInOnes, waitForLogLine } from '@shopfloor/test-support';
import { expect, test } from 'vitest';

const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-query-thread-'));
const systems = trackedAllInOnes(() => rmSync(dataDir, { recursive: true, force: true }));

test('split: the query routes are answered by the query thread, which checks the API keys itself', async () => {
  const key = (await issueKey()).token;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = systems.spawn(
    {
      ...suiteStreamEnv('qthread').env,
      SHOPFLOOR_DATA_DIR: dataDir,
      SHOPFLOOR_TOPOLOGY: 'split',
      SHOPFLOOR_DEMO: '0',
      SHOPFLOOR_BOOTSTRAP_KEY: key,
      PORT: String(port),
    },
    { detached: true },
  );
  const serving = await waitForLogLine(started, (l) => l.msg === 'query thread serving', 240_000);
  const threadUrl = (serving as { url: string }).url;
  expect(threadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect((serving as { routes: number }).routes).toBeGreaterThan(10);
  await waitForLogLine(started, (l) => l.msg?.startsWith('Shopfloor is up on') ?? false, 240_000);

  const statsPath = '/stats?machineId=M-none&start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z';
  const get = async (base: string, p: string, withKey: boolean) => {
    const res = await fetch(`${base}${p}`, withKey ? { headers: { 'x-api-key': key } } : {});
    return { status: res.status, body: await res.text() };
  };
  // Through the one port and on the thread itself: the same answer, and no key, no answer.
  const viaGateway = await get(url, statsPath, true);
  expect(viaGateway.status).toBe(200);
  expect(await get(threadUrl, statsPath, true)).toEqual(viaGateway);
  expect((await get(url, statsPath, false)).status).toBe(401);
  expect((await get(threadUrl, statsPath, false)).status).toBe(401);
  // Sensor reads are query routes too: a 404 for an unknown piece of equipment is the thread's.
  expect((await get(threadUrl, '/api/equipment/PUMP-none/status', true)).status).toBe(404);
  expect((await get(url, '/api/equipment/PUMP-none/status', true)).status).toBe(404);
  // What is not a query route is not served there (the pipeline's main thread answers it).
  expect((await get(threadUrl, '/health', false)).status).toBe(404);
  expect((await get(url, '/health', false)).status).toBe(200);

  // Its requests count in the one /metrics, by route pattern, as the main thread's do.
  const metricsText = (await get(url, '/metrics', true)).body;
  expect(metricsText).toMatch(
    /shopfloor_http_request_duration_seconds_count\{[^}]*route="\/api\/equipment\/:id\/status"[^}]*\} [1-9]/,
  );

  // Ctrl-C stops every process, the thread's closing included, with exit 0.
  process.kill(-started.child.pid!, 'SIGINT');
  expect(await started.exited).toBe(0);
}, 420_000);
