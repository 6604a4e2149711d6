import { CliError } from './output.ts';

/** GET/POST against the running system, bounded in time; non-2xx answers become CliErrors. */
export async function callSystem<T>(
  url: string,
  init: {
    method?: 'GET' | 'POST';
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
    /** Sent as X-API-Key when set (a system with auth on needs an operator key). */
    apiKey?: string | undefined;
  } = {},
): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.apiKey ? { 'x-api-key': init.apiKey } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new CliError(`the running system did not answer at ${url}: ${(err as Error).message}`);
  }
  const text = await res.text();
  const body = (text ? JSON.parse(text) : null) as T;
  if (res.status >= 400) throw new CliError(`${url} answered ${res.status}: ${text}`);
  return { status: res.status, body };
}
