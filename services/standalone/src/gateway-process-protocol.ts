import { V8_HEAP_FLAG_NAMES } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';

/** What the process that forked the gateway process sends it: the projector's outcomes. */
export type ParentToGatewayMessage = { type: 'outcomes'; records: OutcomeRecord[] };

/**
 * What the gateway process sends back: once it listens, and each time the count of requests waiting
 * for an outcome changes (the projector in the pipeline process shortens its window while one waits).
 */
export type GatewayProcessMessage = { type: 'ready'; url: string } | { type: 'demand'; waiting: number };

/**
 * node flags of a forked Shopfloor process: the parent's (tsx's loader, --cpu-prof of a profiled
 * bench) without its heap flags or inspector, plus the configured heap flags.
 */
export function childExecArgv(heapFlags: readonly string[]): string[] {
  const inherited = process.execArgv.filter(
    (a) => !a.startsWith('--inspect') && !V8_HEAP_FLAG_NAMES.some((flag) => a.startsWith(flag)),
  );
  return [...inherited, ...heapFlags];
}
