// Usage: tsx infra/schema-registry/src/cli.ts start|stop|status|health [--data-dir .data/schema-registry]
//        [--port 8081] [--management-port 9000] [--brokers 127.0.0.1:9092]
import { parseArgs } from 'node:util';
import { localRegistryStatus, startLocalRegistry, stopLocalRegistry } from './local-registry.ts';
import { resolveDataDir } from './paths.ts';

const USAGE =
  'usage: cli.ts start|stop|status|health [--data-dir .data/schema-registry] [--port 8081] [--management-port 9000] [--brokers 127.0.0.1:9092]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: '.data/schema-registry' },
      port: { type: 'string', default: '8081' },
      'management-port': { type: 'string', default: '9000' },
      brokers: { type: 'string', default: '127.0.0.1:9092' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const log = (line: string) => console.error(`local-schema-registry: ${line}`);
  switch (command) {
    case 'start': {
      const registry = await startLocalRegistry({
        dataDir,
        port: Number(values.port),
        managementPort: Number(values['management-port']),
        brokers: values.brokers.split(',').map((b) => b.trim()),
        log,
      });
      console.log(registry.url);
      return 0;
    }
    case 'stop': {
      log((await stopLocalRegistry(dataDir)) ? 'stopped' : 'not running');
      return 0;
    }
    case 'status':
    case 'health': {
      const status = await localRegistryStatus(dataDir);
      console.log(JSON.stringify(status));
      return status.state === 'running' ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`local-schema-registry: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
