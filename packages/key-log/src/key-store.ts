import { type AuthMode, KeyRing, startupKeys } from '@shopfloor/auth';
import type { KeyChangeRecord } from '@shopfloor/contracts';
import {
  ensureTopics,
  firstMemberStop,
  type KafkaClient,
  keyTopicSpec,
  type MemberStop,
  type RecordCodec,
} from '@shopfloor/kafka';
import { followKeyLog } from './key-follower.ts';

export interface KeyStore {
  mode: AuthMode;
  /** What the auth hook consults: the bootstrap key and the followed keys; undefined when auth is off. */
  keys: KeyRing | undefined;
  /** Settles once the key log's follower stopped for good; never with auth off (no follower). */
  stopped: Promise<MemberStop>;
  stop(): Promise<void>;
}

export interface KeyStoreConfig {
  HOST: string;
  SHOPFLOOR_BOOTSTRAP_KEY?: string | undefined;
  SHOPFLOOR_BOOTSTRAP_KEY_FILE?: string | undefined;
  topics: { keys: string };
}

export interface KeyStoreDeps {
  kafka: KafkaClient;
  codec: RecordCodec<KeyChangeRecord>;
  log: { info(msg: string): void; warn(msg: string): void };
}

/**
 * The start-up rule and the keys of one HTTP process, written once for every main: auth off only on
 * loopback without a bootstrap key (logged as a warning); otherwise a ring holding the bootstrap
 * operator key, then every key of the key log (read to its end before this resolves) and every
 * change after. A non-loopback HOST without a bootstrap key throws before anything is started.
 */
export async function startKeyStore(config: KeyStoreConfig, deps: KeyStoreDeps): Promise<KeyStore> {
  return followKeysInto(await authAtStartup(config), config, deps);
}

/**
 * What an HTTP app built with `createHttpApp` needs from the store: its keys and the per-key rate
 * limit when auth is on, nothing when it is off (every process that serves the API spreads this).
 */
export function httpAuthOf(
  store: KeyStore,
  config: { SHOPFLOOR_RATE_LIMIT_PER_MINUTE: number },
): { keys?: KeyRing; rateLimitPerMinute?: number } {
  return store.keys ? { keys: store.keys, rateLimitPerMinute: config.SHOPFLOOR_RATE_LIMIT_PER_MINUTE } : {};
}

export type StartupAuth = Awaited<ReturnType<typeof startupKeys>>;

/** The rule alone (no I/O but the key file): call it first, so a refused start starts nothing. */
export function authAtStartup(config: KeyStoreConfig): Promise<StartupAuth> {
  return startupKeys(config.HOST, {
    ...(config.SHOPFLOOR_BOOTSTRAP_KEY ? { key: config.SHOPFLOOR_BOOTSTRAP_KEY } : {}),
    ...(config.SHOPFLOOR_BOOTSTRAP_KEY_FILE ? { file: config.SHOPFLOOR_BOOTSTRAP_KEY_FILE } : {}),
  });
}

/** The store of a process whose auth is off (loopback, no bootstrap key): says so in the log. */
export function authOff(auth: StartupAuth, log: KeyStoreDeps['log']): KeyStore {
  if (!auth.mode.enabled) log.warn(auth.mode.reason);
  return { mode: auth.mode, keys: undefined, stopped: new Promise(() => {}), stop: async () => {} };
}

/** The second half of `startKeyStore`: the ring of `auth`, fed by the key log from its beginning. */
export async function followKeysInto(
  auth: StartupAuth,
  config: KeyStoreConfig,
  deps: KeyStoreDeps,
): Promise<KeyStore> {
  if (!auth.mode.enabled) return authOff(auth, deps.log);
  const ring = auth.keys ?? new KeyRing();
  // A process may start before the one that creates the pipeline's topics (the query service).
  await ensureTopics(deps.kafka, [keyTopicSpec(config.topics.keys)]);
  const follower = await followKeyLog({
    kafka: deps.kafka,
    topic: config.topics.keys,
    codec: deps.codec,
    onEvent: (event) => ring.apply(event),
    onBadRecord: (offset, error) => deps.log.warn(`key log record at offset ${offset} skipped: ${error}`),
  });
  try {
    await follower.caughtUp();
  } catch (err) {
    await follower.stop();
    throw err;
  }
  deps.log.info(`API keys required: ${ring.size} live key(s) (bootstrap and ${config.topics.keys})`);
  return {
    mode: auth.mode,
    keys: ring,
    stopped: firstMemberStop({ 'key log follower': follower.stopped }),
    stop: () => follower.stop(),
  };
}
