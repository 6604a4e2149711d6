import { join } from 'node:path';
import { launchJvm } from '@shopfloor/jvm-process';

export interface RegistryLaunch {
  java: string;
  apicurioHome: string;
  port: number;
  /** Quarkus' management interface (health, metrics): its own port, loopback only. */
  managementPort: number;
  brokers: string[];
  journalTopic: string;
  heap: string;
  logPath: string;
  /** Names the data dir on the java command line, so a pid is only ever recognised as ours. */
  marker: string;
  watchParentPid?: number | undefined;
  cwd: string;
}

/** System properties of the registry: loopback only, KafkaSQL storage on our broker, quiet logs. */
export function registryJvmArgs(input: Omit<RegistryLaunch, 'java' | 'apicurioHome' | 'logPath' | 'cwd'>) {
  return [
    ...input.heap.split(/\s+/).filter(Boolean),
    input.marker,
    `-Dquarkus.http.host=127.0.0.1`,
    `-Dquarkus.http.port=${input.port}`,
    // Health and metrics are on a second port (9000 by default, build-time enabled): give it a free one.
    '-Dquarkus.management.host=127.0.0.1',
    `-Dquarkus.management.port=${input.managementPort}`,
    '-Dquarkus.http.access-log.enabled=false',
    '-Dquarkus.log.category."io.apicurio.registry.logging.audit".level=WARN',
    '-Dapicurio.storage.kind=kafkasql',
    `-Dapicurio.kafkasql.bootstrap.servers=${input.brokers.join(',')}`,
    `-Dapicurio.kafkasql.topic=${input.journalTopic}`,
    `-Dapicurio.kafkasql.snapshots.topic=${input.journalTopic}-snapshots`,
    // Its start-up reads the journal's tail and the snapshots topic until a poll comes back empty,
    // and each empty poll waits this long: 5 s by default, four of them, 20 of the ~27 s of a start.
    // The journal consumer's steady loop returns as soon as records arrive, so nothing else changes.
    '-Dapicurio.kafkasql.consumer.poll.timeout=500',
  ];
}

/**
 * Starts the registry detached under the JVM wrapper (stdout/stderr appended to registry.log). Its
 * JVM flags hold the marker, which is how a pid is recognised as this data dir's registry.
 */
export function launchRegistry(input: RegistryLaunch): number {
  return launchJvm({
    name: 'shopfloor-registry',
    command: [input.java, ...registryJvmArgs(input), '-jar', join(input.apicurioHome, 'quarkus-run.jar')],
    logPath: input.logPath,
    watchParentPid: input.watchParentPid,
    watchGraceSeconds: 15,
    cwd: input.cwd,
  });
}
