import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ChildMessage } from './child-protocol.ts';

export interface ChildHandle {
  name: string;
  pid: number;
  url: string;
  info: Record<string, unknown>;
  request<T>(type: string, args?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
  logFile: string;
}

const tsxLoader = () => {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
};

/**
 * Starts a bench child (a TypeScript file of this folder, run through tsx) with an IPC channel,
 * its output in `logDir/<name>.log`, and resolves once it announced its URL.
 * `profileDir` adds --cpu-prof (the profile is written when the child exits after `stop`).
 */
export async function startChild(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  /** node flags of the child (before BENCH_CHILD_NODE_ARGS, which can override them). */
  nodeArgs?: string[];
  logDir: string;
  profileDir?: string | undefined;
  readyTimeoutMs?: number;
  onProgress?: (text: string) => void;
}): Promise<ChildHandle> {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const out = createWriteStream(logFile);
  const execArgv = ['--import', tsxLoader(), ...(options.nodeArgs ?? [])];
  // A/B of V8 flags without a code change, e.g. BENCH_CHILD_NODE_ARGS=--max-semi-space-size=64.
  execArgv.push(...(process.env.BENCH_CHILD_NODE_ARGS ?? '').split(/\s+/).filter(Boolean));
  if (options.profileDir) {
    // One folder per child: every thread (tsx's loader worker too) writes a profile of its own.
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, options.name)}`);
  }
  const child: ChildProcess = fork(path.join(import.meta.dirname, options.script), [], {
    env: { ...process.env, ...options.env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (raw) => {
    const m = raw as ChildMessage;
    if (m.type === 'reply') {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(`${options.name}: ${m.error}`));
    } else if (m.type === 'progress') options.onProgress?.(m.text);
  });
  void exited.then((code) => {
    for (const w of waiting.values()) w.reject(new Error(`${options.name} exited (code ${code})`));
    waiting.clear();
  });
  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'stop' });
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    })();
    return stopped;
  };

  try {
    const ready = await new Promise<{ url: string; info: Record<string, unknown> }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.name} not ready within ${options.readyTimeoutMs ?? 120_000} ms`)),
        options.readyTimeoutMs ?? 120_000,
      );
      child.on('message', (raw) => {
        const m = raw as ChildMessage;
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve({ url: m.url, info: m.info ?? {} });
        } else if (m.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${options.name} failed to start: ${m.error}`));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited during start-up (code ${code}); log tail:\n${tail()}`));
      });
    });
    return {
      name: options.name,
      pid: child.pid!,
      url: ready.url,
      info: ready.info,
      logFile,
      stop,
      request<T>(type: string, args?: unknown, timeoutMs = 600_000) {
        return new Promise<T>((resolve, reject) => {
          if (!child.connected) return reject(new Error(`${options.name} is not running`));
          const id = nextId++;
          const timer = setTimeout(() => {
            waiting.delete(id);
            reject(new Error(`${options.name}: ${type} got no answer within ${timeoutMs} ms`));
          }, timeoutMs);
          waiting.set(id, {
            resolve: (v) => {
              clearTimeout(timer);
              resolve(v as T);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
          child.send({ id, type, args });
        });
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
