// The harness as a library: the e2e test runs it; the standalone tests reuse its workload and ground truth.
export { type FaultInjectionReport, runFaultInjection } from './fault-injection.ts';
export { formatReport } from './format-report.ts';
export { ExpectedState } from './ground-truth.ts';
export {
  ClientWorkload,
  DAY_END_MS,
  DAY_START_MS,
  type MachineEvent,
  type Place,
  plantLayout,
  type WorkloadRatios,
} from './workload.ts';
