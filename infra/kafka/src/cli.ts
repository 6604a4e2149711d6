// Usage: tsx infra/kafka/src/cli.ts start|stop|status [--data-dir .data/kafka] [--port 9092]
//        [--controller-port 9093] [--heap "-Xms256m -Xmx1g"]
import { serviceCliMain } from '@shopfloor/jvm-process';
import { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';
import { resolveDataDir } from './paths.ts';

serviceCliMain({
  name: 'local-kafka',
  usage:
    'usage: cli.ts start|stop|status [--data-dir .data/kafka] [--port 9092] [--controller-port 9093] [--heap "-Xmx1g"]',
  options: {
    port: { type: 'string', default: '9092' },
    'controller-port': { type: 'string', default: '9093' },
    heap: { type: 'string' },
  },
  defaultDataDir: '.data/kafka',
  resolveDataDir,
  async start(values, dataDir, log) {
    const kafka = await startLocalKafka({
      dataDir,
      port: Number(values.port),
      controllerPort: Number(values['controller-port']),
      heap: typeof values.heap === 'string' ? values.heap : undefined,
      log,
    });
    return kafka.brokers.join(',');
  },
  stop: stopLocalKafka,
  status: localKafkaStatus,
});
