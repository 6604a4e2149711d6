export { buildProgram } from './commands.ts';
export { type CliContext, createCliContext } from './cli-context.ts';
export { collectStatus, type StatusReport } from './status.ts';
export { replayGroup, type ReplayPlan } from './replay.ts';
