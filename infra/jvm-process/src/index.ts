export { freePort, twoPorts } from './free-port.ts';
export { type JvmLaunch, launchJvm } from './jvm-launch.ts';
export {
  adoptRunning,
  awaitStarted,
  type JvmProcessProbe,
  type JvmService,
  type JvmServiceState,
  probeJvmProcess,
  type StartJvmService,
  startJvmService,
  stopJvmService,
  waitUntilReady,
} from './jvm-service.ts';
export { ensureFetched } from './maven-fetch.ts';
export {
  clearState,
  logTail,
  type ProcessFiles,
  processFiles,
  readPid,
  readState,
  writeState,
} from './process-files.ts';
export { isAlive, isOurProcess, sleep, terminate, waitForExit } from './processes.ts';
export { runServiceCli, type ServiceCli, serviceCliMain } from './service-cli.ts';
