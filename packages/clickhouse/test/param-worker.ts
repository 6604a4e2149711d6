// A worker thread of param-lock.integration.test.ts: a reader on the test's engine (its own
// session), which runs parameterized statements and reports each one's answer.
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedReader } from '../src/index.ts';

const { dataDir, paramLock, count } = workerData as {
  dataDir: string;
  paramLock: SharedArrayBuffer | undefined;
  count: number;
};
const engine = await openEmbeddedReader({ dataDir, paramLock });
const wrong: string[] = [];
await Promise.all(
  Array.from({ length: count }, async (_, i) => {
    const v = 1_000_000 + i;
    try {
      const rows = await engine.reader.query(
        'SELECT {v:UInt64} AS v, {s:String} AS s, count() AS n FROM numbers(200000) WHERE number % 7 = {v:UInt64} % 7',
        {
          params: { v, s: `w${v}` },
        },
      );
      if (Number(rows[0]?.v) !== v || rows[0]?.s !== `w${v}`) wrong.push(JSON.stringify(rows[0]));
    } catch (err) {
      wrong.push((err as Error).message);
    }
  }),
);
await engine.close();
// Stays alive (a thread that loaded chdb ends the engine when it exits): the test unrefs it.
parentPort?.postMessage({ wrong });
