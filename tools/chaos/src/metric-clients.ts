// API clients posting metric events under fault injection: single events to POST /events and arrays
// to POST /events/batch-metrics, async mostly and synchronous now and then, each request re-sent until
// it is acknowledged. Every answer's ids and rejection reasons are checked against the pure core.
import { seededRandom } from '@shopfloor/contracts/testing';
import { type FinalAnswer, requestUntilFinal } from './http-retry.ts';
import type { MetricTruth } from './metric-truth.ts';
import type { MetricInput, MetricWorkload } from './metric-workload.ts';
import { type PacedClientInput, sendPaced } from './paced-client.ts';

type EventResult = { index: number; id: string | null; status: string; reason?: string };

export interface MetricClientInput extends PacedClientInput {
  baseUrl: string;
  workload: MetricWorkload;
  truth: MetricTruth;
  maxBatch: number;
  problems: string[];
  /** Share of requests with a single event (POST /events). Default 0.4. */
  singleShare?: number;
  syncShare?: number;
}

const SINGLE_FINAL = [200, 201, 202, 422];

function checkResults(
  c: MetricClientInput,
  elements: readonly MetricInput[],
  results: readonly EventResult[],
): void {
  elements.forEach((element, i) => {
    const want = c.truth.expectedAnswer(element);
    const got = results[i];
    const ok =
      got !== undefined &&
      (want.reason !== null ? got.status === 'rejected' && got.reason === want.reason : got.id === want.id);
    if (!ok)
      c.problems.push(
        `answer ${JSON.stringify(got)} for ${JSON.stringify(element)} (expected ${JSON.stringify(want)})`,
      );
  });
}

async function post(
  c: MetricClientInput,
  rand: () => number,
  elements: MetricInput[],
  sync: boolean,
): Promise<FinalAnswer> {
  const single = elements.length === 1 && rand() < 0.9;
  const query = sync ? '' : '?mode=async';
  const answer = await requestUntilFinal({
    url: `${c.baseUrl}/events${single ? '' : '/batch-metrics'}${query}`,
    method: 'POST',
    body: single ? elements[0] : elements,
    stats: c.stats,
    rand,
    giveUpMs: c.giveUpMs,
    final: (a) => (single ? SINGLE_FINAL.includes(a.status) : a.status === 200 || a.status === 202),
  });
  const results = single ? [answer.body as EventResult] : (answer.body as { results: EventResult[] }).results;
  checkResults(c, elements, results ?? []);
  return answer;
}

/** Runs one API client: `quota` events spread over `durationMs`. */
export async function runMetricClient(c: MetricClientInput): Promise<void> {
  const rand = seededRandom(c.seed);
  const nextSize = () => (rand() < (c.singleShare ?? 0.4) ? 1 : 2 + Math.floor(rand() * (c.maxBatch - 1)));
  await sendPaced(c, nextSize, async (size) => {
    const elements = c.workload.batch(size);
    const answer = await post(c, rand, elements, rand() < (c.syncShare ?? 0.3));
    c.truth.acknowledged(elements, answer.attempts);
  });
}
