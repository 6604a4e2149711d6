// Usage: tsx infra/schema-registry/src/cli.ts start|stop|status|health [--data-dir .data/schema-registry]
//        [--port 8081] [--management-port 9000] [--brokers 127.0.0.1:9092]
import { serviceCliMain } from '@shopfloor/jvm-process';
import { localRegistryStatus, startLocalRegistry, stopLocalRegistry } from './local-registry.ts';
import { resolveDataDir } from './paths.ts';

serviceCliMain({
  name: 'local-schema-registry',
  usage:
    'usage: cli.ts start|stop|status|health [--data-dir .data/schema-registry] [--port 8081] [--management-port 9000] [--brokers 127.0.0.1:9092]',
  options: {
    port: { type: 'string', default: '8081' },
    'management-port': { type: 'string', default: '9000' },
    brokers: { type: 'string', default: '127.0.0.1:9092' },
  },
  defaultDataDir: '.data/schema-registry',
  resolveDataDir,
  async start(values, dataDir, log) {
    const registry = await startLocalRegistry({
      dataDir,
      port: Number(values.port),
      managementPort: Number(values['management-port']),
      brokers: String(values.brokers)
        .split(',')
        .map((b) => b.trim()),
      log,
    });
    return registry.url;
  },
  stop: stopLocalRegistry,
  status: localRegistryStatus,
});
