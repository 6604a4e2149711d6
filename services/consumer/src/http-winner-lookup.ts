import type { WinnerState } from '@shopfloor/contracts';
import type { WinnerLookup } from '@shopfloor/dedupe';

/**
 * Asks the ClickHouse-owning process (POST /internal/winners) for winners that left the state.
 * `apiKey`: an operator key (the bootstrap key) when that process requires keys.
 */
export function httpWinnerLookup(baseUrl: string, timeoutMs = 10_000, apiKey?: string): WinnerLookup {
  return async (eventIds) => {
    const res = await fetch(new URL('/internal/winners', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      body: JSON.stringify({ eventIds }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`winner lookup failed: HTTP ${res.status} ${await res.text()}`);
    const winners = (await res.json()) as WinnerState[];
    return new Map(winners.map((w) => [w.eventId, w]));
  };
}
