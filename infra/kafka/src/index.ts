// The process helpers moved to @shopfloor/jvm-process; re-exported for the callers of this package.
export { freePort, isAlive, isOurProcess, sleep, terminate } from '@shopfloor/jvm-process';
export type { LocalKafka, LocalKafkaStatus, StartLocalKafkaOptions } from './local-kafka.ts';
export { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';
export { ensureKafkaJars, kafkaLibsDir, kafkaVersion, REPO_ROOT } from './paths.ts';
