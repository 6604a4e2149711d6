import type { Logger } from 'pino';

/**
 * Awaits one start-up step of a service main (the start-up rule, the schema registry). On failure
 * it logs `<service> not started: <message>` (with the error's code, if it has one) and exits 2,
 * so nothing is left half-started and every main refuses the same way.
 */
export async function startOrExit<T>(log: Logger, service: string, step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    const { code, message } = err as Error & { code?: string };
    log.fatal(code ? { code } : {}, `${service} not started: ${message}`);
    process.exit(2);
  }
}
