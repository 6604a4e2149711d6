// Usage: tsx infra/kafka/src/cli.ts start|stop|status [--data-dir .data/kafka] [--port 9092]
//        [--controller-port 9093] [--heap "-Xms256m -Xmx1g"]
import { parseArgs } from 'node:util';
import { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';
import { resolveDataDir } from './paths.ts';

const USAGE =
  'usage: cli.ts start|stop|status [--data-dir .data/kafka] [--port 9092] [--controller-port 9093] [--heap "-Xmx1g"]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: '.data/kafka' },
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string', default: '9093' },
      heap: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const log = (line: string) => console.error(`local-kafka: ${line}`);
  switch (command) {
    case 'start': {
      const kafka = await startLocalKafka({
        dataDir,
        port: Number(values.port),
        controllerPort: Number(values['controller-port']),
        heap: values.heap,
        log,
      });
      console.log(kafka.brokers.join(','));
      return 0;
    }
    case 'stop': {
      log((await stopLocalKafka(dataDir)) ? 'stopped' : 'not running');
      return 0;
    }
    case 'status': {
      const status = await localKafkaStatus(dataDir);
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
    console.error(`local-kafka: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
