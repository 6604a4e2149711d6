import { useEffect, useState } from 'preact/hooks';
import type { DashboardSnapshot, WindowKey } from '../src/snapshot-types.ts';

export interface SnapshotState {
  snapshot: DashboardSnapshot | null;
  /** Why the last poll failed; null after a successful one. */
  error: string | null;
  /** Auth is on and the page has no usable key: `missing` (401) or the server's refusal (403). */
  keyProblem: { kind: 'missing' } | { kind: 'refused'; message: string } | null;
}

/**
 * Polls the snapshot every `refreshMs` the server asks for (one request at a time), and at once
 * when the window, the factory or the key changes. An answer to an older choice is dropped. A 401
 * or 403 stops polling until another key is given (retrying the same key cannot succeed).
 */
export function useSnapshot(
  api: string,
  windowKey: WindowKey,
  factoryId: string | null,
  apiKey: string | null,
): SnapshotState {
  const [state, setState] = useState<SnapshotState>({ snapshot: null, error: null, keyProblem: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const params = new URLSearchParams({ window: windowKey });
    if (factoryId !== null) params.set('factoryId', factoryId);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (apiKey !== null) headers['x-api-key'] = apiKey;
    const poll = async () => {
      let delay = 3_000;
      try {
        const res = await fetch(`${api}?${params}`, { headers });
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json().catch(() => ({}))) as { message?: string };
          const keyProblem =
            res.status === 401
              ? ({ kind: 'missing' } as const)
              : ({
                  kind: 'refused',
                  message: body.message ?? 'This key may not read the dashboard.',
                } as const);
          if (!stopped) setState((s) => ({ snapshot: s.snapshot, error: null, keyProblem }));
          return;
        }
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const snapshot = (await res.json()) as DashboardSnapshot;
        delay = snapshot.refreshMs;
        if (!stopped) setState({ snapshot, error: null, keyProblem: null });
      } catch (err) {
        if (!stopped) setState((s) => ({ ...s, error: (err as Error).message }));
      }
      if (!stopped) timer = setTimeout(poll, delay);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, windowKey, factoryId, apiKey]);
  return state;
}
