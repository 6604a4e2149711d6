import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from './system-harness.ts';

// Debian's chromium, installed by scripts/bootstrap.sh.
const CHROMIUM = process.env.SHOPFLOOR_CHROMIUM ?? '/usr/bin/chromium';

export interface DashboardBrowser {
  system: TestSystem;
  page: Page;
  /** Console errors and uncaught exceptions of the page: a test ends by expecting none. */
  consoleErrors: string[];
  /** Closes the browser, then the system (also when the browser would not close). */
  close(): Promise<void>;
}

/**
 * The whole system in this process (`startTestSystem(env)`) and one page of a headless chromium,
 * for the dashboard's browser tests. Whatever started is stopped again if a later part fails.
 */
export async function openDashboardBrowser(options: {
  viewport: { width: number; height: number };
  env?: Record<string, string>;
}): Promise<DashboardBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/bootstrap.sh`);
  const system = await startTestSystem(options.env);
  let browser: Browser | undefined;
  const close = async () => {
    try {
      await browser?.close().catch(() => {});
    } finally {
      await system.close();
    }
  };
  try {
    // --no-sandbox: the suite may run as root (CI containers), where chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: options.viewport });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    return { system, page, consoleErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
