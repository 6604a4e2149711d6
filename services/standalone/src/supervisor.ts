import { type ChildProcess, fork } from 'node:child_process';
import { type ShopfloorConfig, v8HeapFlags } from '@shopfloor/config';
import type { Logger } from 'pino';
import { startDemoTraffic } from './demo-traffic.ts';
import { childExecArgv } from './gateway-process-protocol.ts';
import { type GatewayProcess, startGatewayProcess } from './gateway-supervisor.ts';
import type { PipelineProcessMessage, SupervisorToPipelineMessage } from './pipeline-process-protocol.ts';
import { STOP_DEADLINE_MS } from './stop-deadline.ts';

type Ready = Extract<PipelineProcessMessage, { type: 'ready' }>;

/**
 * The start command: forks the pipeline process (the all-in-one, or with SHOPFLOOR_TOPOLOGY=split
 * everything but the gateway) and, split, the gateway process in front of it, each with the heap
 * flags of SHOPFLOOR_MAX_OLD_SPACE_MB and SHOPFLOOR_HEAP_GROWING_PERCENT; relays the outcomes from one to the other; stops both on
 * SIGINT/SIGTERM (gateway first). Their logs go to this process's stdout/stderr as they are (each
 * line names its component). The pipeline process holds the state, the broker and the registry:
 * if it dies, everything stops with its exit code; a dying gateway is restarted (gateway-supervisor.ts).
 * Resolves with the code the process should exit with, once everything has stopped.
 */
export function superviseShopfloor(config: ShopfloorConfig, log: Logger): Promise<number> {
  let gateway: GatewayProcess | undefined;
  let demo: { stop(): void } | undefined;
  let stopping: Promise<number> | undefined;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const pipeline: ChildProcess = fork(new URL('./pipeline-process.ts', import.meta.url).pathname, [], {
    execArgv: childExecArgv(v8HeapFlags(config)),
    serialization: 'advanced',
    stdio: 'inherit',
  });
  const pipelineExit = new Promise<number>((resolve) =>
    pipeline.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
  const stopAll = (codeIfClean: number) => {
    stopping ??= (async () => {
      const force = setTimeout(() => finish(1), STOP_DEADLINE_MS + 10_000);
      force.unref();
      demo?.stop();
      await gateway?.stop().catch(() => {});
      if (pipeline.exitCode === null && pipeline.signalCode === null) pipeline.kill('SIGTERM');
      const code = await pipelineExit;
      return codeIfClean === 0 ? code : codeIfClean;
    })();
    void stopping.then(finish);
    return stopping;
  };

  void pipelineExit.then((code) => {
    if (stopping) return;
    log.error({ code, pid: pipeline.pid }, 'the pipeline process exited: stopping everything');
    void stopAll(code === 0 ? 1 : code);
  });
  pipeline.on('message', (m: PipelineProcessMessage) => {
    if (m.type === 'outcomes') gateway?.deliver(m.records);
    else if (m.type === 'ready') void onPipelineReady(m);
  });
  const onPipelineReady = async (ready: Ready) => {
    let url = ready.url;
    if (config.SHOPFLOOR_TOPOLOGY === 'split') {
      gateway = await startGatewayProcess({
        upstreamUrl: ready.url,
        queryThread: ready.queryThread,
        env: {
          ...process.env,
          KAFKA_BROKERS: ready.brokers.join(','),
          SCHEMA_REGISTRY_URL: ready.registryUrl,
        },
        heapFlags: v8HeapFlags(config),
        log,
        onGiveUp: () => void stopAll(1),
        onDemand: (waiting) => {
          if (pipeline.connected)
            pipeline.send({ type: 'demand', waiting } satisfies SupervisorToPipelineMessage);
        },
      }).catch((err) => {
        log.error({ err: (err as Error).message }, 'the gateway process did not start: stopping everything');
        void stopAll(1);
        return undefined;
      });
      if (!gateway || stopping) return;
      url = gateway.url;
      if (config.SHOPFLOOR_DEMO)
        demo = startDemoTraffic({
          baseUrl: url,
          log: log.child({ component: 'demo' }),
          sensors: config.SHOPFLOOR_SENSORS,
        });
    }
    log.info(
      { url, demo: config.SHOPFLOOR_DEMO, topology: config.SHOPFLOOR_TOPOLOGY, pids: pids() },
      `Shopfloor is up on ${url} — try: curl '${url}/stats?machineId=M-1&start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z'`,
    );
  };
  const pids = () => ({ supervisor: process.pid, pipeline: pipeline.pid, gateway: gateway?.pid() });

  // Ctrl-C signals the whole process group, so the children stop on their own too; a signal sent to
  // this process alone (SIGTERM from a service manager) reaches them through stopAll.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) log.info({ signal }, 'stopping');
      void stopAll(0);
    });
  }
  return done;
}
