import { settleWithin } from '@shopfloor/contracts';
import type { FastifyInstance } from 'fastify';

/** A readiness condition: resolves when it holds, throws (with a reason) when it does not. */
export type ReadinessProbe = () => Promise<unknown>;

export interface ProbeRoutesOptions {
  /** Named conditions that must all hold for `/ready` (broker reachable, topics present, ...). */
  probes: Record<string, ReadinessProbe>;
  /** Register `GET /health` too (false where the app already answers it). Default true. */
  health?: boolean;
  /** Each probe's time limit. Default 3 s. */
  timeoutMs?: number;
}

export type ProbeResult = { name: string; ok: boolean; error?: string };

async function runProbe(name: string, probe: ReadinessProbe, timeoutMs: number): Promise<ProbeResult> {
  try {
    await settleWithin(probe(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: (err as Error).message };
  }
}

/**
 * `GET /health`: the process is alive and serving (no dependency is asked; a restart would not
 * help a broker outage). `GET /ready`: every probe holds, 200 `{status: 'ready', checks}`, else
 * 503 `{status: 'not-ready', checks}` with each failing probe's reason, for load balancers and
 * compose/Kubernetes health checks.
 */
export async function probeRoutes(app: FastifyInstance, options: ProbeRoutesOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  if (options.health !== false) app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const checks = await Promise.all(
      Object.entries(options.probes).map(([name, probe]) => runProbe(name, probe, timeoutMs)),
    );
    const ready = checks.every((c) => c.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });
}
