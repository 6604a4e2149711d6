// The pipeline process the start command's supervisor (main.ts) forks: the whole all-in-one with
// SHOPFLOOR_TOPOLOGY=single; everything but the gateway with split, its outcomes sent to the
// supervisor, which relays them to the gateway process (and the gateway's count of waiting requests
// back here, for the projector's window).
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { RelayedDemand } from '@shopfloor/group-projector';
import { createLogger, exitWhenAMemberStops, LogMismatchError } from '@shopfloor/ops';
import type { PipelineProcessMessage, SupervisorToPipelineMessage } from './pipeline-process-protocol.ts';
import { startShopfloor } from './shopfloor-system.ts';
import { STOP_DEADLINE_MS } from './stop-deadline.ts';

const config = loadConfig();
const log = createLogger({ name: 'shopfloor', level: config.LOG_LEVEL });
const send = (m: PipelineProcessMessage) => {
  if (process.connected) process.send?.(m);
};
const split = config.SHOPFLOOR_TOPOLOGY === 'split';
// Split: the gateway process's count of waiting requests, relayed by the supervisor (single has
// its gateway, and so its waiting requests, in this process).
const demand = split ? new RelayedDemand() : undefined;
if (demand) {
  process.on('message', (m: SupervisorToPipelineMessage) => {
    if (m.type === 'demand') demand.update(m.waiting);
  });
}
// The broker's and the registry's watchdogs follow the supervisor: a killed start command leaves
// no orphan JVM.
const system = await startShopfloor(config, log, {
  watchParentPid: process.ppid,
  ...(demand
    ? { externalGateway: { onOutcomes: (records) => send({ type: 'outcomes', records }), demand } }
    : {}),
}).catch((err) => {
  if (!(err instanceof LogMismatchError)) throw err;
  process.stderr.write(`\n${err.message}\n`);
  process.exit(3);
});
send({
  type: 'ready',
  url: system.url,
  brokers: system.brokers,
  registryUrl: system.registryUrl,
  queryThread: system.queryThread && { url: system.queryThread.url, routes: [...system.queryThread.routes] },
});
const shutdown = stopOnSignals(log, () => system.stop(), STOP_DEADLINE_MS);
// A member stopped for good: this process exits 1, and with it the start command (supervisor.ts).
exitWhenAMemberStops(log, [system.stopped], shutdown);
// The supervisor is gone (killed): stop as on a signal.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
