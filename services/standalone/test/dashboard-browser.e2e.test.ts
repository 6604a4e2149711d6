import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoMachines } from '../src/demo-machines.ts';
import { type DashboardBrowser, openDashboardBrowser } from './browser-harness.ts';
import { ids, type TestSystem } from './system-harness.ts';

// Set SHOPFLOOR_DASHBOARD_SCREENSHOT=<png> to also run the demo machines for a while and save a
// screenshot of the page (the README's picture).
const SCREENSHOT = process.env.SHOPFLOOR_DASHBOARD_SCREENSHOT;

let ui: DashboardBrowser;
let system: TestSystem;
let page: Page;

beforeAll(async () => {
  ui = await openDashboardBrowser({ viewport: { width: 1280, height: 1000 } });
  ({ system, page } = ui);
});

afterAll(async () => {
  await ui?.close();
});

/** The page's text of a cell, as a number ("1,234" → 1234). */
async function numberIn(scope: Page | Locator, selector: string): Promise<number> {
  return Number((await scope.locator(selector).first().innerText()).replaceAll(',', ''));
}

async function topLinesShown() {
  return page.locator('[data-testid="top-lines"] tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      lineId: row.getAttribute('data-line-id'),
      totalDefects: Number(
        row.querySelector('[data-field="totalDefects"]')?.textContent?.replaceAll(',', ''),
      ),
      eventCount: Number(row.querySelector('[data-field="eventCount"]')?.textContent?.replaceAll(',', '')),
      defectsPercent: Number(row.querySelector('[data-field="defectsPercent"]')?.textContent),
    })),
  );
}

describe('the dashboard in a real browser', () => {
  it('shows the numbers the API gives after a batch, and the factory picker switches the lines', async () => {
    const id = ids('dash');
    // One clock reading: the re-sent copy of event 1 must carry the very same eventTime, or it is
    // (rightly) decided as a correction whenever the millisecond ticks between the two batches.
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const event = (n: number, machine: number, line: number, factory: number, defectCount: number) => ({
      eventId: id.event(n),
      eventTime: at(2 + (n % 5)),
      machineId: id.machine(machine),
      lineId: id.line(line),
      factoryId: id.factory(factory),
      durationMs: 1000,
      defectCount,
    });
    const first = [
      event(1, 1, 1, 1, 3),
      event(2, 1, 1, 1, 2),
      event(3, 2, 2, 1, 1),
      event(4, 2, 2, 1, -1),
      event(5, 3, 3, 2, 4),
      event(6, 3, 4, 2, 0),
      { ...event(7, 3, 3, 2, 0), durationMs: -5 },
      { ...event(8, 3, 3, 2, 0), eventTime: at(-60) },
    ];
    const second = [
      event(1, 1, 1, 1, 3),
      { ...event(6, 3, 4, 2, 0), defectCount: 2 },
      { ...event(9, 1, 1, 1, 0), defectCount: -2 },
    ];
    const replies = [await system.post(first), await system.post(second)];
    for (const r of replies) expect(r.status).toBe(200);
    const totals = { accepted: 0, deduped: 0, updated: 0, rejected: 0 };
    const reasons = new Map<string, number>();
    for (const { body } of replies) {
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += body[k];
      for (const r of body.rejections) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    }
    expect(totals).toEqual({ accepted: 6, deduped: 1, updated: 1, rejected: 3 });

    const response = await page.goto(`${system.url}/`);
    expect(response?.url()).toBe(`${system.url}/dashboard`);
    await expect.poll(() => numberIn(page, '[data-testid="total-accepted"]'), { timeout: 15_000 }).toBe(6);
    for (const [outcome, n] of Object.entries(totals)) {
      expect(await numberIn(page, `[data-testid="total-${outcome}"]`), outcome).toBe(n);
    }
    const shownReasons = await page
      .locator('[data-testid="rejections"] li')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-reason'), li.querySelector('.count')?.textContent]),
      );
    expect(new Map(shownReasons.map(([r, n]) => [r, Number(n)]))).toEqual(reasons);

    const windowEl = page.getByTestId('window');
    const start = await windowEl.getAttribute('data-start');
    const end = await windowEl.getAttribute('data-end');
    for (const m of [1, 2, 3]) {
      const machineId = id.machine(m);
      const api = (await system.get(`/stats?machineId=${machineId}&start=${start}&end=${end}`)).body;
      const row = page.locator(`[data-testid="machines"] tr[data-machine-id="${machineId}"]`);
      expect(await numberIn(row, '[data-field="eventsCount"]')).toBe(api.eventsCount);
      expect(await numberIn(row, '[data-field="defectsCount"]')).toBe(api.defectsCount);
      expect(await numberIn(row, '[data-field="avgDefectRate"]')).toBe(
        Math.round(api.avgDefectRate * 100) / 100,
      );
      expect(await row.locator('[data-field="status"]').innerText()).toBe(api.status);
    }

    const linesOf = async (factory: number) =>
      (
        await system.get(
          `/stats/top-defect-lines?factoryId=${id.factory(factory)}&from=${start}&to=${end}&limit=10`,
        )
      ).body;
    const picker = page.getByTestId('factory-picker');
    await picker.selectOption(id.factory(1));
    await expect
      .poll(() => page.locator('[data-testid="top-lines"] table').getAttribute('data-factory-id'), {
        timeout: 15_000,
      })
      .toBe(id.factory(1));
    const f1 = await linesOf(1);
    expect(f1.length).toBe(2);
    expect(await topLinesShown()).toEqual(f1);
    await picker.selectOption(id.factory(2));
    await expect
      .poll(() => page.locator('[data-testid="top-lines"] table').getAttribute('data-factory-id'), {
        timeout: 15_000,
      })
      .toBe(id.factory(2));
    const f2 = await linesOf(2);
    expect(f2).not.toEqual(f1);
    expect(await topLinesShown()).toEqual(f2);
    expect(new URL(page.url()).searchParams.get('factory')).toBe(id.factory(2));

    const deadLetters = (await system.get('/dead-letters?limit=10')).body as {
      eventId: string;
      reason: string;
    }[];
    const shownLetters = await page.locator('[data-testid="dead-letters"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        eventId: r.getAttribute('data-event-id'),
        reason: r.querySelector('[data-field="reason"]')?.textContent,
      })),
    );
    expect(shownLetters).toEqual(deadLetters.map((d) => ({ eventId: d.eventId ?? '', reason: d.reason })));
    expect(shownLetters).toHaveLength(3);

    // Consumer lag: both groups, every partition of their topics, committed offsets read back.
    const lagGroups = await page
      .locator('[data-testid="lag"] tbody tr[data-group-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group-id')));
    // (The other streams' groups are listed too: dashboard-streams-browser.e2e.test.ts looks at them.)
    const eventGroups = new Set([`${system.prefix}dedupe`, `${system.prefix}projector`]);
    expect(new Set(lagGroups.filter((g) => g !== null && eventGroups.has(g)))).toEqual(eventGroups);

    // At rest every group has consumed everything. The gateway's topics (events.raw, events.dlq) hold
    // no transaction markers: lag 0. events.change-batches is written in dedupe transactions, each ending
    // with a commit marker the projector's committed offset stays in front of: at most 1 per partition.
    type LagRow = { topic: string; lag: number };
    const restingLag = async () => {
      const snapshot = (await system.get('/dashboard/api/snapshot')).body;
      const groups: { groupId: string; partitions: LagRow[] }[] = snapshot.lag.data;
      return groups
        .filter((g) => eventGroups.has(g.groupId))
        .map((g) => ({
          groupId: g.groupId,
          lag: g.partitions.map((p) => [
            p.topic.slice(system.prefix.length),
            p.lag <= (p.topic.endsWith('change-batches') ? 1 : 0),
          ]),
        }));
    };
    await expect.poll(restingLag, { timeout: 15_000 }).toEqual([
      { groupId: `${system.prefix}dedupe`, lag: Array.from({ length: 3 }, () => ['events.raw', true]) },
      {
        groupId: `${system.prefix}projector`,
        lag: [...Array.from({ length: 3 }, () => ['events.change-batches', true]), ['events.dlq', true]],
      },
    ]);
    await expect(page.getByTestId('status').innerText()).resolves.toMatch(/^live/);
    expect(ui.consoleErrors).toEqual([]);
  });

  it.runIf(SCREENSHOT)(
    'takes the README screenshot with demo traffic',
    async () => {
      const demo = startDemoMachines({ baseUrl: system.url, log: pino({ level: 'warn' }) });
      try {
        for (let i = 0; i < 8; i++) {
          await system.post([
            {
              eventId: `bad-${i}`,
              eventTime: new Date().toISOString(),
              machineId: 'M-1',
              lineId: 'L-1',
              factoryId: 'F-1',
              durationMs: -1,
              defectCount: 0,
            },
            {
              eventId: `late-${i}`,
              eventTime: new Date(Date.now() + 3_600_000).toISOString(),
              machineId: 'M-2',
              lineId: 'L-2',
              factoryId: 'F-1',
              durationMs: 10,
              defectCount: 0,
            },
          ]);
          await new Promise((r) => setTimeout(r, 3_000));
        }
        await page.goto(`${system.url}/dashboard?window=15m&factory=F-1`);
        await expect
          .poll(() => numberIn(page, '[data-testid="total-accepted"]'), { timeout: 15_000 })
          .toBeGreaterThan(0);
        await page.waitForTimeout(4_000);
        mkdirSync(path.dirname(path.resolve(SCREENSHOT!)), { recursive: true });
        await page.screenshot({ path: path.resolve(SCREENSHOT!), fullPage: true });
      } finally {
        demo.stop();
      }
      expect(ui.consoleErrors).toEqual([]);
    },
    120_000,
  );
});
