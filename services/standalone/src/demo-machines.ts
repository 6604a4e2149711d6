import type { Logger } from 'pino';
import { postDemoJson, repeatDemoTick } from './demo-loop.ts';

/**
 * Simulated machines posting to the gateway over HTTP, so a newcomer sees the stats move:
 * every tick, each of a few machines posts a small batch; some events are exact duplicates
 * (a machine retrying) and some are corrections of an earlier event (a changed defect count).
 */
export function startDemoMachines(options: { baseUrl: string; log: Logger; intervalMs?: number }): {
  stop(): void;
} {
  const { baseUrl, log } = options;
  const machines = Array.from({ length: 6 }, (_, i) => ({
    machineId: `M-${i + 1}`,
    lineId: `L-${(i % 3) + 1}`,
    factoryId: i < 4 ? 'F-1' : 'F-2',
  }));
  const sent: Record<string, unknown>[] = [];
  let seq = 0;

  const tick = async (n: number) => {
    const batch: Record<string, unknown>[] = [];
    for (const m of machines) {
      for (let i = 0; i < 5; i++) {
        const r = Math.random();
        const old = sent.length > 0 ? sent[Math.floor(Math.random() * sent.length)]! : undefined;
        if (old && r < 0.1)
          batch.push(old); // a retry: deduped
        else if (old && r < 0.15)
          batch.push({ ...old, defectCount: Math.floor(Math.random() * 5) }); // a correction
        else {
          const e = {
            eventId: `demo-${Date.now()}-${seq++}`,
            eventTime: new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString(),
            ...m,
            durationMs: 500 + Math.floor(Math.random() * 5000),
            defectCount: Math.random() < 0.05 ? -1 : Math.floor(Math.random() * 3),
          };
          sent.push(e);
          batch.push(e);
        }
      }
    }
    if (sent.length > 5000) sent.splice(0, sent.length - 5000);
    const outcome = await postDemoJson(`${baseUrl}/events/batch`, batch);
    if (n % 5 === 0) {
      const end = new Date(Date.now() + 60_000).toISOString();
      const start = new Date(Date.now() - 3_600_000).toISOString();
      const stats = await (await fetch(`${baseUrl}/stats?machineId=M-1&start=${start}&end=${end}`)).json();
      const top = await (
        await fetch(`${baseUrl}/stats/top-defect-lines?factoryId=F-1&from=${start}&to=${end}&limit=3`)
      ).json();
      log.info({ batch: outcome, statsM1: stats, topLinesF1: top }, 'demo: posted a batch; current stats');
    }
  };

  return repeatDemoTick(tick, { intervalMs: options.intervalMs ?? 1000, log, failure: 'demo batch failed' });
}
