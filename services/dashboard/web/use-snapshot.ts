import { useEffect, useState } from 'preact/hooks';
import type { DashboardSnapshot, WindowKey } from '../src/snapshot-types.ts';

export interface SnapshotState {
  snapshot: DashboardSnapshot | null;
  /** Why the last poll failed; null after a successful one. */
  error: string | null;
}

/**
 * Polls the snapshot every `refreshMs` the server asks for (one request at a time), and at once
 * when the window or the factory changes. An answer to an older choice is dropped.
 */
export function useSnapshot(api: string, windowKey: WindowKey, factoryId: string | null): SnapshotState {
  const [state, setState] = useState<SnapshotState>({ snapshot: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const params = new URLSearchParams({ window: windowKey });
    if (factoryId !== null) params.set('factoryId', factoryId);
    const poll = async () => {
      let delay = 3_000;
      try {
        const res = await fetch(`${api}?${params}`, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const snapshot = (await res.json()) as DashboardSnapshot;
        delay = snapshot.refreshMs;
        if (!stopped) setState({ snapshot, error: null });
      } catch (err) {
        if (!stopped) setState((s) => ({ snapshot: s.snapshot, error: (err as Error).message }));
      }
      if (!stopped) timer = setTimeout(poll, delay);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, windowKey, factoryId]);
  return state;
}
