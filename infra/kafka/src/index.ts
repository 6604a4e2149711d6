export { freePort } from './free-port.ts';
export type { LocalKafka, LocalKafkaStatus, StartLocalKafkaOptions } from './local-kafka.ts';
export { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';
export { ensureKafkaJars, kafkaLibsDir, kafkaVersion, REPO_ROOT } from './paths.ts';
export { isAlive, isOurProcess, sleep, terminate } from './processes.ts';
