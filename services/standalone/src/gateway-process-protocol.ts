import type { OutcomeRecord } from '@shopfloor/contracts';

/** What the process that forked the gateway process sends it: the projector's outcomes. */
export type ParentToGatewayMessage = { type: 'outcomes'; records: OutcomeRecord[] };

/** What the gateway process sends back once it listens. */
export type GatewayProcessMessage = { type: 'ready'; url: string };

/**
 * node flags of a forked Shopfloor process: the parent's (tsx's loader, --cpu-prof of a profiled
 * bench) without its heap bound or inspector, plus the configured heap bound.
 */
export function childExecArgv(maxOldSpaceMb: number): string[] {
  const inherited = process.execArgv.filter(
    (a) => !a.startsWith('--max-old-space-size') && !a.startsWith('--inspect'),
  );
  return maxOldSpaceMb > 0 ? [...inherited, `--max-old-space-size=${maxOldSpaceMb}`] : inherited;
}
