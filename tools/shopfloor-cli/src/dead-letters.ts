import type { CliContext } from './cli-context.ts';
import {
  type DeadLetterRetryRecord,
  jsonDeadLetterRetryCodec,
  readRetries,
  recordRetries,
  retriesTopic,
} from './dead-letter-retries.ts';
import { CliError } from './output.ts';
import { callSystem } from './system-api.ts';

export type DeadLetter = {
  batchId: string;
  seq: number;
  eventId: string | null;
  reason: string;
  message: string;
  payload: string;
  receivedAt: string;
};

export type ListedDeadLetter = DeadLetter & { retriedAs: string | null };

const codec = jsonDeadLetterRetryCodec();

async function fetchDeadLetters(ctx: CliContext, options: { batchId?: string; limit: number }) {
  const q = new URLSearchParams({ limit: String(options.limit) });
  if (options.batchId) q.set('batchId', options.batchId);
  return (await callSystem<DeadLetter[]>(`${ctx.url}/dead-letters?${q}`, { apiKey: ctx.apiKey })).body;
}

/** The dead letters (newest first, or one batch's in order), each with the batch it was retried as. */
export async function listDeadLetters(
  ctx: CliContext,
  options: { batchId?: string; limit: number },
): Promise<ListedDeadLetter[]> {
  const letters = await fetchDeadLetters(ctx, options);
  const marks = await readRetries(ctx.kafka, retriesTopic(ctx.config.SHOPFLOOR_TOPIC_PREFIX), codec);
  return letters.map((d) => {
    const mark = marks.get(`${d.batchId}:${d.seq}`);
    return { ...d, retriedAs: mark ? `${mark.retriedAs}#${mark.retriedSeq}` : null };
  });
}

export async function showDeadLetter(
  ctx: CliContext,
  batchId: string,
  seq: number,
): Promise<ListedDeadLetter> {
  const found = (await listDeadLetters(ctx, { batchId, limit: 10_000 })).find((d) => d.seq === seq);
  if (!found) throw new CliError(`no dead letter ${batchId} #${seq}`);
  return found;
}

export type RetryResult = {
  originalBatchId: string;
  retriedAs: string;
  status: number;
  answer: unknown;
  marked: DeadLetterRetryRecord[];
};

/**
 * Re-submits chosen dead letters' payloads (as received) through the gateway, so every rule
 * applies again (after a clock fix, say): one POST /events/batch carrying the header
 * `x-shopfloor-retry-of: <original batchId>`, then one mark per dead letter in the retries topic
 * linking it to the new batch and position.
 */
export async function retryDeadLetters(
  ctx: CliContext,
  batchId: string,
  seqs: readonly number[],
): Promise<RetryResult> {
  const letters = await fetchDeadLetters(ctx, { batchId, limit: 10_000 });
  const chosen = seqs.map((seq) => {
    const d = letters.find((l) => l.seq === seq);
    if (!d) throw new CliError(`no dead letter ${batchId} #${seq}`);
    return d;
  });
  const events = chosen.map((d) => {
    try {
      return JSON.parse(d.payload) as unknown;
    } catch {
      throw new CliError(
        `dead letter ${batchId} #${d.seq}: its payload is not JSON and cannot be re-submitted`,
      );
    }
  });
  const { status, body } = await callSystem<{ batchId: string }>(`${ctx.gatewayUrl}/events/batch`, {
    method: 'POST',
    body: events,
    headers: { 'x-shopfloor-retry-of': batchId },
    timeoutMs: 30_000,
    apiKey: ctx.apiKey,
  });
  const retriedAt = new Date().toISOString();
  const marked: DeadLetterRetryRecord[] = chosen.map((d, i) => ({
    v: 1,
    batchId,
    seq: d.seq,
    eventId: d.eventId,
    retriedAs: body.batchId,
    retriedSeq: i,
    retriedAt,
  }));
  await recordRetries(ctx.kafka, retriesTopic(ctx.config.SHOPFLOOR_TOPIC_PREFIX), codec, marked);
  return { originalBatchId: batchId, retriedAs: body.batchId, status, answer: body, marked };
}
