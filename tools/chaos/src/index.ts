// The harness as a library: the e2e test runs it, and the standalone tests reuse its ground truth.
export { type FaultInjectionReport, runFaultInjection } from './fault-injection.ts';
export { formatReport } from './format-report.ts';
export { ExpectedState } from './ground-truth.ts';
export { DAY_END_MS, DAY_START_MS, type MachineEvent } from './workload.ts';
