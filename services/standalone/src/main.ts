// The start command (`pnpm start`): a supervisor of the pipeline process and, with
// SHOPFLOOR_TOPOLOGY=split, of the gateway process (supervisor.ts).
import { ConfigError, loadConfig, type ShopfloorConfig } from '@shopfloor/config';
import { createLogger } from '@shopfloor/ops';
import { superviseShopfloor } from './supervisor.ts';

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
const log = createLogger({ name: 'shopfloor', level: config.LOG_LEVEL }).child({ component: 'supervisor' });
process.exit(await superviseShopfloor(config, log));
