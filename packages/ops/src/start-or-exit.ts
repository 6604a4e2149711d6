import type { Logger } from 'pino';
import { LogMismatchError } from './log-mismatch.ts';

/**
 * Awaits one start-up step of a service main (the start-up rule, the schema registry, the check of
 * a projection or a state against its log). On failure it logs `<service> not started: <message>`
 * (with the error's code, if it has one) and exits 3 when the log is not the one the projection or
 * state was derived from (the message names the command that fixes it), else 2, so nothing is left
 * half-started and every main refuses the same way.
 */
export async function startOrExit<T>(log: Logger, service: string, step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    const { code, message } = err as Error & { code?: string };
    log.fatal(code ? { code } : {}, `${service} not started: ${message}`);
    process.exit(err instanceof LogMismatchError ? 3 : 2);
  }
}
