import { type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export interface CreateLoggerOptions {
  name: string;
  level: LevelWithSilent;
  /** Default: whether stdout is a terminal. Pretty lines for a person, JSON lines for machines. */
  pretty?: boolean;
}

/**
 * The one logger factory of every main: readable colored lines when a person watches a terminal,
 * one JSON object per line otherwise (pipes, files, containers, log shippers).
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const wantPretty = options.pretty ?? process.stdout.isTTY === true;
  const base = { name: options.name, level: options.level };
  if (!wantPretty) return pino(base);
  // In-process (not a worker-thread transport), so a fatal line is written before process.exit.
  return pino(
    base,
    pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }),
  );
}
