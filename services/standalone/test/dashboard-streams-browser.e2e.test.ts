import { randomBytes } from 'node:crypto';
import { issueKey } from '@shopfloor/auth';
import { sensorReadingsOf } from '@shopfloor/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardBrowser, openDashboardBrowser } from './browser-harness.ts';
import type { TestSystem } from './system-harness.ts';

// The sensor and metric-events panels of the dashboard in a real browser, with API keys on: the
// page asks for a key, sends it, and shows what the API routes answer for the same window.
let ui: DashboardBrowser;
let system: TestSystem;
let token: string;
let page: Page;

beforeAll(async () => {
  token = (await issueKey()).token;
  ui = await openDashboardBrowser({
    viewport: { width: 1280, height: 1400 },
    env: { SHOPFLOOR_BOOTSTRAP_KEY: token, SHOPFLOOR_ALLOW_SIMULATED_FAILURES: '1' },
  });
  ({ system, page } = ui);
});

afterAll(async () => {
  await ui?.close();
});

const withKey = () => ({ 'x-api-key': token });
async function api(path: string): Promise<any> {
  const res = await fetch(`${system.url}${path}`, { headers: withKey() });
  expect(res.status, path).toBe(200);
  return res.json();
}
async function post(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${system.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...withKey() },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
/** Every item of a cursor-paginated listing (`/events/processed`, `/events/failed`). */
async function allPages(path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: { events: unknown[]; nextCursor: string | null } = await api(
      `${path}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}
const num = async (selector: string) =>
  Number((await page.locator(selector).first().innerText()).replaceAll(',', ''));
const alertRows = (table: string) =>
  page.locator(`[data-testid="${table}"] tbody tr`).evaluateAll((rows) =>
    rows.map((r) => ({
      alertId: r.getAttribute('data-alert-id'),
      severity: r.querySelector('[data-field="severity"]')?.textContent,
      equipmentId: r.querySelector('[data-field="equipmentId"]')?.textContent,
    })),
  );

describe('the sensor and metric-events panels in a real browser, with API keys on', () => {
  it('ask for a key, then show what the API answers', async () => {
    const tag = randomBytes(3).toString('hex');
    const now = Date.now();
    // Two pieces of equipment: one with a normal baseline then a CRITICAL spike, one quiet.
    const [hot, quiet] = [`EQ-${tag}-hot`, `EQ-${tag}-quiet`];
    const hotReadings = sensorReadingsOf(hot, { t0: now - 120_000 });
    const quietReadings = sensorReadingsOf(quiet, { t0: now - 120_000 });
    const sensorReply = await post('/api/webhook/sensor-data', {
      readings: [...hotReadings.baseline(40), quietReadings.reading(0, 1), hotReadings.reading(100, 5.3)],
    });
    expect(sensorReply.status).toBe(200);
    expect(sensorReply.body).toMatchObject({ accepted: 42, rejected: 0 });
    // Metric events a minute ago: two clients, a duplicate, a rejection, a simulated failure.
    const metric = (client: string, amount: unknown, over: object = {}) => ({
      client_id: `${client}-${tag}`,
      payload: { metric: 'clicks', amount, timestamp: new Date(now - 60_000).toISOString() },
      ...over,
    });
    const batch = [metric('a', 5), metric('a', 7), metric('b', 40), metric('a', 5), metric('b', 'x')];
    const metricReply = await post('/events/batch-metrics', batch);
    expect(metricReply.body).toMatchObject({ processed: 3, duplicates: 1, rejected: 1 });
    expect((await post('/events', metric('b', 1, { simulateFailure: true }))).body).toMatchObject({
      status: 'failed',
    });

    // Without a key the data call is 401: the page asks for one instead of showing empty panels.
    await page.goto(`${system.url}/dashboard?window=1h`);
    await page.getByTestId('key-form').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('dashboard').count()).resolves.toBe(0);
    await page.getByTestId('key-input').fill(token);
    await page.getByTestId('key-submit').click();
    await page.getByTestId('equipment').waitFor({ timeout: 15_000 });
    await expect.poll(() => num('[data-testid="metric-processed"]'), { timeout: 15_000 }).toBe(3);

    // Equipment per status: the lengths of GET /api/equipment?status=…
    for (const status of ['OK', 'WARNING', 'CRITICAL']) {
      const listed: unknown[] = await api(`/api/equipment?status=${status}`);
      expect(await num(`[data-testid="equipment-${status}"]`), status).toBe(listed.length);
    }
    expect(await num('[data-testid="equipment-CRITICAL"]')).toBe(1);
    expect(await num('[data-testid="equipment-OK"]')).toBe(1);
    // Alerts: GET /api/alerts/critical and /api/alerts/history with the panels' limit (10).
    const critical: { alertId: string; severity: string; equipmentId: string }[] = await api(
      '/api/alerts/critical?limit=10',
    );
    const history: { alerts: typeof critical } = await api('/api/alerts/history?limit=10');
    const pick = ({ alertId, severity, equipmentId }: (typeof critical)[number]) => ({
      alertId,
      severity,
      equipmentId,
    });
    expect(critical).toHaveLength(1);
    expect(await alertRows('critical-alerts')).toEqual(critical.map(pick));
    expect(await alertRows('recent-alerts-table')).toEqual(history.alerts.map(pick));

    // Metric events over the window the page shows: the listings and the aggregates for it.
    const windowEl = page.getByTestId('window');
    const from = (await windowEl.getAttribute('data-start')) ?? '';
    const to = (await windowEl.getAttribute('data-end')) ?? '';
    const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    expect((await allPages(`/events/processed?${range}`)).length).toBe(
      await num('[data-testid="metric-processed"]'),
    );
    const failed = (await allPages(`/events/failed?${range}`)) as { reason: string }[];
    expect(failed).toHaveLength(2);
    expect(await num('[data-testid="metric-failed"]')).toBe(failed.length);
    const shownReasons = await page
      .locator('[data-testid="metric-failed-reasons"] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-reason')));
    expect(shownReasons).toEqual([...new Set(failed.map((f) => f.reason))].sort());
    const clients = await page.locator('[data-testid="top-clients"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        clientId: r.getAttribute('data-client-id') ?? '',
        count: Number(r.querySelector('[data-field="count"]')?.textContent),
        totalAmount: r.querySelector('[data-field="totalAmount"]')?.getAttribute('data-exact'),
      })),
    );
    expect(clients.map((c) => c.clientId)).toEqual([`b-${tag}`, `a-${tag}`]); // 40 before 12
    for (const c of clients) {
      const agg = await api(`/aggregates?client_id=${encodeURIComponent(c.clientId)}&${range}`);
      expect({ count: c.count, totalAmount: c.totalAmount }).toEqual({
        count: agg.count,
        totalAmount: agg.totalAmountExact,
      });
    }
    // The events panels read with the same key.
    await expect(page.getByTestId('ingest-error').count()).resolves.toBe(0);

    // Forgetting the key asks for one again; only the 401s of the keyless calls reached the console.
    await page.getByTestId('forget-key').click();
    await page.getByTestId('key-form').waitFor({ timeout: 15_000 });
    expect(ui.consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(ui.consoleErrors.length).toBeGreaterThan(0);
  });
});
