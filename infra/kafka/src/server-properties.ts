// Pure renderers for the broker's config files, so the choices are reviewable and unit-tested.

export interface BrokerConfigInput {
  port: number;
  controllerPort: number;
  /** KRaft metadata and topic data. */
  logDir: string;
}

export function serverProperties(input: BrokerConfigInput): Record<string, string> {
  const { port, controllerPort, logDir } = input;
  return {
    // Single-node KRaft: this process is both the broker and the only controller voter.
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    // One replica is all a single node has; internal topics otherwise refuse to be created.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    // Fewer internal partitions: the first group/transaction coordinator lookup creates them all.
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.num.partitions': '4',
    // Tests join groups constantly; the default 3 s delay would be added to every join.
    'group.initial.rebalance.delay.ms': '0',
    // Topics are declared explicitly (ensureTopics); a typo must fail, not create a topic.
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    // Compaction observable within seconds (default: the cleaner idles 15 s between checks).
    'log.cleaner.backoff.ms': '500',
    'log.cleaner.threads': '1',
    'log.cleaner.dedupe.buffer.size': String(32 * 1024 * 1024),
    // Sized for a 2-core dev machine.
    'num.network.threads': '2',
    'num.io.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    'background.threads': '4',
    'log.retention.check.interval.ms': '60000',
  };
}

export function renderProperties(props: Record<string, string>): string {
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}`)
    .join('\n')}\n`;
}

/**
 * log4j (reload4j) config: everything to stdout, which the runner redirects to broker.log. Noisy
 * per-request and state-change loggers are turned down.
 */
export function log4jProperties(): string {
  return renderProperties({
    'log4j.rootLogger': 'INFO, stdout',
    'log4j.appender.stdout': 'org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    'log4j.logger.kafka': 'INFO',
    'log4j.logger.org.apache.kafka': 'INFO',
    'log4j.logger.kafka.request.logger': 'WARN',
    'log4j.logger.state.change.logger': 'WARN',
    'log4j.logger.kafka.log.LogCleaner': 'INFO',
    'log4j.logger.org.apache.kafka.clients': 'WARN',
    'log4j.logger.org.apache.kafka.common.utils.AppInfoParser': 'WARN',
  });
}

export const DEFAULT_HEAP = '-Xms256m -Xmx1g';

/** JVM flags as kafka-run-class.sh sets them, plus the log4j config and the heap. */
export function jvmArgs(opts: { heap: string; log4jConfigPath: string }): string[] {
  return [
    ...opts.heap.split(/\s+/).filter(Boolean),
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${opts.log4jConfigPath}`,
  ];
}
