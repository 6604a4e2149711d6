import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KafkaClient } from '@shopfloor/kafka';
import { rebuildStateFromRawLog, type StateFromRawLogOptions } from './state-from-raw-log.ts';

/** Where the dedupe state is rebuilt from at the next start of the process owning the store. */
export type StateResetSource = 'changelog' | 'raw';

const REQUEST_FILE = 'RESET-REQUESTED';

/**
 * Asks for the local dedupe state store in `stateDir` to be rebuilt at the next start of its
 * process (the store is open while the process runs): from `changelog` (events.state) or from the
 * `raw` log (events.raw). Writes a request file next to the store; applyRequestedStateReset honours it.
 */
export async function requestStateReset(stateDir: string, from: StateResetSource): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, REQUEST_FILE), `${from}\n`);
}

/**
 * Run at start-up before the store is opened. With a request pending: `raw` first runs
 * `fromRawLog` (rebuildStateFromRawLog, which appends the recomputed state to events.state); then,
 * for both, the local store is deleted, so every partition restores from events.state offset 0.
 * The request is removed once done (a crash before that applies it again, which is harmless).
 * Returns what was applied.
 */
export async function applyRequestedStateReset(
  stateDir: string,
  fromRawLog: () => Promise<unknown>,
): Promise<StateResetSource | undefined> {
  let from: string;
  try {
    from = (await readFile(join(stateDir, REQUEST_FILE), 'utf8')).trim();
  } catch {
    return undefined;
  }
  if (from !== 'changelog' && from !== 'raw')
    throw new Error(`${REQUEST_FILE} in ${stateDir} holds ${JSON.stringify(from)}`);
  if (from === 'raw') await fromRawLog();
  for (const file of ['data.mdb', 'lock.mdb']) await rm(join(stateDir, file), { force: true });
  await rm(join(stateDir, REQUEST_FILE), { force: true });
  return from;
}

/** applyRequestedStateReset with the process's own config: one line in each wiring. */
export function applyRequestedStateResetFor(
  config: { dirs: { state: string }; topics: { raw: string; state: string }; SHOPFLOOR_DEDUPE_GROUP: string },
  deps: Pick<StateFromRawLogOptions, 'codecs' | 'log'> & { kafka: KafkaClient },
): Promise<StateResetSource | undefined> {
  return applyRequestedStateReset(config.dirs.state, () =>
    rebuildStateFromRawLog(deps.kafka, {
      topics: config.topics,
      groupId: config.SHOPFLOOR_DEDUPE_GROUP,
      codecs: deps.codecs,
      log: deps.log,
    }),
  );
}
