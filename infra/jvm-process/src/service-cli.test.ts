import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearState, logTail, processFiles, readPid, readState, writeState } from './process-files.ts';
import { runServiceCli, type ServiceCli } from './service-cli.ts';

function fakeCli(state: string, calls: string[]): ServiceCli {
  return {
    name: 'fake',
    usage: 'usage: fake start|stop|status',
    options: { port: { type: 'string', default: '1' } },
    defaultDataDir: '.data/fake',
    resolveDataDir: (dir) => `/root/${dir}`,
    start: async (values, dataDir) => {
      calls.push(`start ${dataDir} ${values.port}`);
      return '127.0.0.1:1';
    },
    stop: async (dataDir) => {
      calls.push(`stop ${dataDir}`);
      return true;
    },
    status: async () => ({ state }),
  };
}

describe('runServiceCli', () => {
  afterEach(() => vi.restoreAllMocks());

  it('starts with the options and the resolved data dir, printing the address', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    const calls: string[] = [];
    expect(await runServiceCli(fakeCli('running', calls), ['start', '--port', '7'])).toBe(0);
    expect(calls).toEqual(['start /root/.data/fake 7']);
    expect(printed).toHaveBeenCalledWith('127.0.0.1:1');
  });

  it('answers status (and health) with exit 0 only when running, and usage errors with 2', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runServiceCli(fakeCli('running', []), ['status'])).toBe(0);
    expect(await runServiceCli(fakeCli('stopped', []), ['health', '--data-dir', 'x'])).toBe(1);
    expect(await runServiceCli(fakeCli('running', []), ['restart'])).toBe(2);
    expect(await runServiceCli(fakeCli('running', []), [])).toBe(2);
  });
});

describe('process files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jvm-process-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('write, read back and clear the pid and the state; the log tail says when there is no log', () => {
    const files = processFiles(dir, 'server');
    expect(readPid(files)).toBeUndefined();
    writeState(files, { pid: 4242, port: 1 });
    expect(readPid(files)).toBe(4242);
    expect(readState<{ pid: number; port: number }>(files)).toEqual({ pid: 4242, port: 1 });
    clearState(files);
    expect(readPid(files)).toBeUndefined();
    expect(logTail(files)).toBe('(no server.log)');
  });
});
