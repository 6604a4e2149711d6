export { kafkaKeyLog } from './kafka-key-log.ts';
export { followKeyLog, type KeyFollower, type KeyFollowerDeps } from './key-follower.ts';
export { keyChangeRecordOf, keyEventOf } from './key-records.ts';
export {
  authAtStartup,
  authOff,
  followKeysInto,
  httpAuthOf,
  type KeyStore,
  type KeyStoreConfig,
  type KeyStoreDeps,
  type StartupAuth,
  startKeyStore,
} from './key-store.ts';
