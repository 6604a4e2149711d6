import { ConfigError, loadConfig, type ShopfloorConfig, stopOnSignals } from '@shopfloor/config';
import { pino } from 'pino';
import { startShopfloor } from './shopfloor-system.ts';

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
const log = pino({ name: 'shopfloor', level: config.LOG_LEVEL });
const system = await startShopfloor(config, log);
log.info(
  { url: system.url, demo: config.SHOPFLOOR_DEMO },
  `Shopfloor is up on ${system.url} — try: curl '${system.url}/stats?machineId=M-1&start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z'`,
);
stopOnSignals(log, () => system.stop(), 30_000);
