// Devices posting readings to POST /api/webhook/sensor-data under fault injection: each client posts
// its batches one after another (async mostly, synchronous now and then), re-sends a batch until it is
// acknowledged, and resolves some of the alerts a synchronous answer made visible. The truth is fed
// each batch as it is generated, before it is posted (generation order = per-equipment log order).
import { seededRandom } from '@shopfloor/contracts/testing';
import { requestUntilFinal } from './http-retry.ts';
import { type PacedClientInput, sendPaced, uniformBatchSize } from './paced-client.ts';
import type { SensorTruth } from './sensor-truth.ts';
import type { ReadingInput, SensorWorkload } from './sensor-workload.ts';

export type SensorClientFigures = {
  syncAnswers: number;
  /** Synchronous posts answered 202 because the processing outlasted the server's sync timeout. */
  syncTimeouts: number;
  asyncAnswers: number;
  resolutions: number;
};

type SyncAnswer = { readings: number; accepted: number; deduped: number; rejected: number };

export interface SensorClientInput extends PacedClientInput {
  baseUrl: string;
  workload: SensorWorkload;
  truth: SensorTruth;
  minBatch: number;
  maxBatch: number;
  figures: SensorClientFigures;
  /** Answers that contradict the truth (a sync answer's rejected count, a resolution's answer). */
  problems: string[];
  /** Share of batches posted in the default (synchronous) mode. Default 0.3. */
  syncShare?: number;
}

/**
 * Posts batch `batch` (as the truth numbered it) until acknowledged: 200 (sync) or 202 (async, or
 * sync past its timeout) unless `mustSettle`. Every attempt is counted: each may have been published.
 */
async function postReadings(
  c: SensorClientInput,
  rand: () => number,
  batch: { batch: number; readings: ReadingInput[] },
  sync: boolean,
  mustSettle: boolean,
): Promise<{ status: number; body: unknown }> {
  return requestUntilFinal({
    url: `${c.baseUrl}/api/webhook/sensor-data${sync ? '' : '?mode=async'}`,
    method: 'POST',
    body: { readings: batch.readings },
    stats: c.stats,
    rand,
    giveUpMs: c.giveUpMs,
    final: (a) => a.status === 200 || (a.status === 202 && !mustSettle),
    onAttempt: () => c.truth.batchAttempt(batch.batch),
  });
}

function checkSyncAnswer(c: SensorClientInput, body: unknown, size: number, rejected: number): void {
  const a = body as SyncAnswer;
  if (a.readings !== size || a.rejected !== rejected || a.accepted + a.deduped + a.rejected !== size)
    c.problems.push(`sync answer ${JSON.stringify(a)} for ${size} readings of which ${rejected} invalid`);
}

/**
 * Who a resolution is recorded as: the clients send no API key and the chaos cluster runs with auth
 * off, so the sensor service records its anonymous principal (`ANONYMOUS` of services/sensors).
 */
export const RESOLVED_BY = 'anonymous';
/** The note of an alert's resolution: names the alert, so a row under another alert would show. */
export const resolutionNote = (alertId: string) => `chaos: ${alertId} resolved under fault injection`;

async function resolve(c: SensorClientInput, rand: () => number, alertId: string): Promise<void> {
  const sent = { note: resolutionNote(alertId), resolvedBy: RESOLVED_BY };
  const answer = await requestUntilFinal({
    url: `${c.baseUrl}/api/alerts/${alertId}/resolve`,
    method: 'PATCH',
    body: { note: sent.note },
    stats: c.stats,
    rand,
    giveUpMs: c.giveUpMs,
    final: (a) => a.status === 200,
    retryable: [404],
    onAttempt: () => c.truth.resolutionAttempt(alertId, sent),
  });
  // The answer is the alert's earliest resolution: one of this client's PATCHes, so what they carried.
  const b = answer.body as { alertId?: string; status?: string; note?: unknown; resolvedBy?: unknown };
  if (
    b.alertId !== alertId ||
    b.status !== 'RESOLVED' ||
    b.note !== sent.note ||
    b.resolvedBy !== sent.resolvedBy
  )
    c.problems.push(`PATCH /api/alerts/${alertId}/resolve answered ${JSON.stringify(b)}`);
  c.truth.resolved.add(alertId);
  c.figures.resolutions++;
}

/** Runs one device client: `quota` readings spread over `durationMs`, then a synchronous closing batch. */
export async function runSensorClient(c: SensorClientInput): Promise<void> {
  const rand = seededRandom(c.seed);
  /** The first alert this client's readings raised, and how many it resolved. */
  let firstRaised: string | undefined;
  let resolvedHere = 0;
  await sendPaced(c, uniformBatchSize(rand, c.minBatch, c.maxBatch), async (size) => {
    const readings = c.workload.batch(size);
    const { batch, fed } = c.truth.feedBatch(readings, Date.now());
    firstRaised ??= fed.find((f) => f.alertId !== null)?.alertId ?? undefined;
    const sync = rand() < (c.syncShare ?? 0.3);
    const answer = await postReadings(c, rand, { batch, readings }, sync, false);
    if (!sync) {
      c.figures.asyncAnswers++;
      return;
    }
    if (answer.status === 202) c.figures.syncTimeouts++;
    else {
      c.figures.syncAnswers++;
      checkSyncAnswer(c, answer.body, size, fed.filter((f) => f.rejected).length);
    }
    // Resolve some of the batch's alerts (an event in the log). After a 200 they are in ClickHouse;
    // after a sync post that outlasted the server's timeout (a slow restart under the faults) they
    // are on their way, and the PATCH is retried on 404 until they are visible.
    for (const { alertId } of fed) {
      if (alertId === null || rand() >= 0.5) continue;
      await resolve(c, rand, alertId);
      resolvedHere++;
    }
  });
  // The barrier: a synchronous 200 on one reading per series means every earlier reading of each
  // partition of this client's equipment is processed and visible.
  const closing = c.workload.closingBatch();
  const { batch } = c.truth.feedBatch(closing, Date.now());
  const answer = await postReadings(c, rand, { batch, readings: closing }, true, true);
  c.figures.syncAnswers++;
  checkSyncAnswer(c, answer.body, closing.length, 0);
  // At least one resolution per client whose readings raised an alert (all visible after the
  // barrier): with a few dozen alerts, 30 % of batches synchronous and a coin per alert, a run with
  // none resolved happens (CI saw one), and then the resolve path went untested under the faults.
  if (resolvedHere === 0 && firstRaised !== undefined) await resolve(c, rand, firstRaised);
}
