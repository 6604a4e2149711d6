import type { OutcomeDemand } from './projector-runner.ts';

/**
 * The demand of requests that wait in another process: the split topology's gateway process counts
 * its waiting requests (OutcomeTracker.onPendingChange) and the count reaches the projector's process
 * over IPC, where `update` sets it. So the projector shortens its fetch and window while exactly one
 * request waits (projector-runner.ts), as the single topology's in-process gateway lets it. A count
 * that arrives late only changes how the next groups gather, never what they contain.
 */
export class RelayedDemand implements OutcomeDemand {
  private count = 0;
  private readonly listeners = new Set<() => void>();

  /** The other process's count of waiting requests (0 when it is gone: its requests went with it). */
  update(waiting: number): void {
    const started = waiting > this.count;
    this.count = Math.max(0, waiting);
    if (started) for (const listener of this.listeners) listener();
  }

  awaited = (): boolean => this.count > 0;

  waiting = (): number => this.count;

  onAwaited(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
