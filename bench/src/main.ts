// `pnpm bench [--smoke] [--sections=...]`: see options.ts (--help) and bench/README.md.
import path from 'node:path';
import { helpText, parseBenchOptions, UsageError } from './options.ts';
import { type BenchRun, runBench } from './run-bench.ts';

const outDir = path.resolve(import.meta.dirname, '..', 'results');
let options: ReturnType<typeof parseBenchOptions>;
try {
  options = parseBenchOptions(process.argv.slice(2), outDir);
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err.message === helpText() ? 0 : 2);
  }
  throw err;
}

const abort = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\n${signal}: stopping the load and every process the bench started...\n`);
      abort.abort();
    } else {
      // Children stop on their own when this process goes (IPC disconnect), the broker watches our pid.
      process.exit(130);
    }
  });
}

const print = (run: BenchRun) => {
  const { meta } = run.results;
  console.log(
    `\nShopfloor bench — ${meta.date}, commit ${meta.commit}, ${meta.machine.cores} cores (${meta.machine.cpuModel}), ${meta.machine.memoryGiB} GiB, node ${meta.node}${meta.smoke ? ', SMOKE run' : ''}, ${meta.durationSeconds} s\n`,
  );
  console.log(run.tableText);
  for (const [k, v] of Object.entries(run.results.ratios)) console.log(`pipeline/baseline ${k}: ${v}x`);
  console.log(`\nraw figures: ${run.file}`);
};

try {
  const run = await runBench(options, { progress: (line) => console.log(line), signal: abort.signal });
  print(run);
  process.exit(abort.signal.aborted ? 130 : 0);
} catch (err) {
  const run = (err as { run?: BenchRun }).run;
  if (run) print(run);
  console.error(`bench failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
}
