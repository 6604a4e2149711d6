import type { OutcomeRecord } from '@shopfloor/contracts';

/** What the process that forked the gateway process sends it: the projector's outcomes. */
export type ParentToGatewayMessage = { type: 'outcomes'; records: OutcomeRecord[] };

/** What the gateway process sends back once it listens. */
export type GatewayProcessMessage = { type: 'ready'; url: string };

/** The node flags `v8HeapFlags` (packages/config) sets: a forked process takes the configured ones, not its parent's. */
const HEAP_FLAGS = ['--max-old-space-size', '--heap-growing-percent'];

/**
 * node flags of a forked Shopfloor process: the parent's (tsx's loader, --cpu-prof of a profiled
 * bench) without its heap flags or inspector, plus the configured heap flags.
 */
export function childExecArgv(heapFlags: readonly string[]): string[] {
  const inherited = process.execArgv.filter(
    (a) => !a.startsWith('--inspect') && !HEAP_FLAGS.some((flag) => a.startsWith(flag)),
  );
  return [...inherited, ...heapFlags];
}
