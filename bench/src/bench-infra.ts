// What the pipeline child needs besides itself: a Kafka broker and the schema registry its Avro
// records are registered in. Each is started here (temp data dir, watching the bench's pid) unless
// the options name an existing one; the JVMs started are sampled like the other processes.
import path from 'node:path';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { startLocalRegistry } from '@shopfloor/local-schema-registry';
import type { BenchOptions } from './options.ts';
import { findProcess, type ProcSampler } from './proc-sampler.ts';

export interface BenchInfra {
  brokers: string[];
  schemaRegistryUrl: string;
}

export async function startBenchInfra(
  options: Pick<BenchOptions, 'brokers' | 'schemaRegistry'>,
  workDir: string,
  sampler: ProcSampler,
  progress: (line: string) => void,
  cleanups: (() => Promise<void>)[],
): Promise<BenchInfra> {
  let brokers = options.brokers;
  if (!brokers) {
    progress('starting the local Kafka broker');
    const broker = await startLocalKafka({
      dataDir: path.join(workDir, 'kafka'),
      port: 0,
      watchParentPid: process.pid,
      log: (line) => progress(`[kafka] ${line}`),
    });
    cleanups.push(() => broker.stop());
    brokers = broker.brokers;
    sampler.track('broker', findProcess(broker.pid, 'java'));
  }
  let schemaRegistryUrl = options.schemaRegistry;
  if (!schemaRegistryUrl) {
    progress(`starting the schema registry on ${brokers.join(',')} (10-30 s)`);
    const registry = await startLocalRegistry({
      dataDir: path.join(workDir, 'schema-registry'),
      brokers,
      port: 0,
      watchParentPid: process.pid,
      log: (line) => progress(`[schema registry] ${line}`),
    });
    cleanups.push(() => registry.stop());
    schemaRegistryUrl = registry.url;
    sampler.track('registry', findProcess(registry.pid, 'java'));
  }
  return { brokers, schemaRegistryUrl };
}
