import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@shopfloor/local-kafka';
import { REPO_ROOT, suiteStreamEnv, trackedAllInOnes } from '@shopfloor/test-support';

export interface SystemEnv {
  dataDir: string;
  /** The system's environment (a test may still set PORT before it starts the system). */
  env: Record<string, string>;
  /** Removes the data dir (in afterAll, once the system is stopped). */
  removeDataDir(): void;
}

const makeDataDir = (label: string) => mkdtempSync(path.join(tmpdir(), `shopfloor-${label}-`));
const remover = (dataDir: string) => () => rmSync(dataDir, { recursive: true, force: true });

/**
 * A whole system on the suite's broker and registry with topics and consumer groups of its own
 * (prefix `<label>-<random>.`), so test files never see each other's records; any HTTP port.
 */
export function suiteSystemEnv(label: string, o: { partitions: number }): SystemEnv & { prefix: string } {
  const { prefix, env: streamEnv } = suiteStreamEnv(label);
  const dataDir = makeDataDir(label);
  const env = {
    ...streamEnv,
    SHOPFLOOR_METRIC_EVENTS_GROUP: `${prefix}metric-events`,
    SHOPFLOOR_SENSOR_PARTITIONS: '2',
    SHOPFLOOR_PARTITIONS: String(o.partitions),
    SHOPFLOOR_DATA_DIR: dataDir,
    PORT: '0',
    SHOPFLOOR_DEMO: '0',
  };
  return { prefix, dataDir, env, removeDataDir: remover(dataDir) };
}

/**
 * The all-in-one with a broker and a registry of its own (started in its data dir), on free
 * ports; `url` is its HTTP address.
 */
export async function ownBrokerSystemEnv(
  label: string,
  partitions: number,
): Promise<SystemEnv & { url: string }> {
  const dataDir = makeDataDir(label);
  const port = await freePort();
  const env = {
    SHOPFLOOR_DATA_DIR: dataDir,
    KAFKA_LOCAL_PORT: String(await freePort()),
    SCHEMA_REGISTRY_LOCAL_PORT: String(await freePort()),
    PORT: String(port),
    SHOPFLOOR_DEMO: '0',
    SHOPFLOOR_PARTITIONS: String(partitions),
  };
  return { dataDir, env, url: `http://127.0.0.1:${port}`, removeDataDir: remover(dataDir) };
}

/**
 * For a test file whose all-in-one runs with its own broker: its env (made by the test, the ports
 * free at that moment) and its tracked processes. After the file, a broker a failed assertion left
 * behind gets a few seconds to stop with its watched process before the data dir goes.
 */
export function ownBrokerAllInOnes(label: string, partitions: number) {
  let sys: (SystemEnv & { url: string }) | undefined;
  const allInOnes = trackedAllInOnes(async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    sys?.removeDataDir();
  });
  return {
    ...allInOnes,
    async systemEnv() {
      sys = await ownBrokerSystemEnv(label, partitions);
      return sys;
    },
  };
}

/** Runs `shopfloor <args>` as a child process; resolves with its exit code and output. */
export function runShopfloor(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/shopfloor-cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
