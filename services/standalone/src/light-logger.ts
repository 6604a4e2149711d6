import { type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

/**
 * The logger of the start command's supervisor and gateway process: the same lines as
 * `createLogger` of @shopfloor/ops (pretty on a terminal, JSON otherwise), without importing that
 * package, whose index loads the embedded ClickHouse engine (~150 MiB of RSS these processes never use).
 */
export function lightLogger(name: string, level: LevelWithSilent, component: string): Logger {
  const base = { name, level };
  const root = process.stdout.isTTY
    ? pino(base, pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }))
    : pino(base);
  return root.child({ component });
}
