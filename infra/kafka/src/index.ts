export { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';
export type { LocalKafka, LocalKafkaStatus, StartLocalKafkaOptions } from './local-kafka.ts';
export { ensureKafkaJars, kafkaLibsDir, kafkaVersion, REPO_ROOT } from './paths.ts';
export { freePort } from './free-port.ts';
export { isAlive, isOurProcess, sleep, terminate } from './processes.ts';
