import { ConfigError, loadConfig, type ShopfloorConfig, stopOnSignals } from '@shopfloor/config';
import { createLogger, LogMismatchError } from '@shopfloor/ops';
import { STOP_DEADLINE_MS, startShopfloor } from './shopfloor-system.ts';

let config: ShopfloorConfig;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const log = createLogger({ name: 'shopfloor', level: config.LOG_LEVEL });
// The broker's watchdog follows this process, so a killed all-in-one leaves no orphan broker.
const system = await startShopfloor(config, log, { watchParentPid: process.pid }).catch((err) => {
  if (!(err instanceof LogMismatchError)) throw err;
  process.stderr.write(`\n${err.message}\n`);
  process.exit(3);
});
log.info(
  { url: system.url, demo: config.SHOPFLOOR_DEMO },
  `Shopfloor is up on ${system.url} — try: curl '${system.url}/stats?machineId=M-1&start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z'`,
);
stopOnSignals(log, () => system.stop(), STOP_DEADLINE_MS);
