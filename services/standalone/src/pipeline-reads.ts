import { HttpError } from '@shopfloor/http-kit';

/** How long the gateway process waits for the pipeline's part of an answer it completes. */
const READ_TIMEOUT_MS = 10_000;

/**
 * Reads a JSON answer of the pipeline process at `upstream` (its metrics snapshot, its OpenAPI
 * document) for an answer the gateway process completes with its own. No answer in time, or not a
 * 200, is 503 PIPELINE_UNAVAILABLE: the gateway's half alone would be a wrong answer, not a partial one.
 */
export async function readFromPipeline(upstream: URL, path: string, accept: string): Promise<unknown> {
  const res = await fetch(new URL(path, upstream), {
    headers: { accept },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  }).catch(() => undefined);
  if (res?.status !== 200) {
    await res?.body?.cancel();
    throw new HttpError('PIPELINE_UNAVAILABLE');
  }
  return res.json();
}
