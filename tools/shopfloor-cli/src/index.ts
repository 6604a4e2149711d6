export { type CliContext, createCliContext } from './cli-context.ts';
export { buildProgram } from './commands.ts';
export { type ReplayPlan, replayGroup } from './replay.ts';
export { collectStatus, type StatusReport } from './status.ts';
