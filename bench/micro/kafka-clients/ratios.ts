// The summary of a run: per partition count and step, each client's medians over its rounds and
// librdkafka's ratios to kafkajs (CPU below 1 and records/s above 1 favour librdkafka).
import type { Measurement } from './workload.ts';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

type Summary = {
  cpu: number;
  node: number;
  js: number;
  broker: number;
  brokerNet: number;
  rate: number;
  txRate: number;
  perTx: number;
};

function summarise(ms: Measurement[]): Summary {
  return {
    cpu: median(ms.map((m) => m.nodeUsPerRecord + m.brokerUsPerRecord)),
    node: median(ms.map((m) => m.nodeUsPerRecord)),
    js: median(ms.map((m) => m.mainThreadUsPerRecord)),
    broker: median(ms.map((m) => m.brokerUsPerRecord)),
    brokerNet: median(ms.map((m) => m.brokerNetUsPerRecord)),
    rate: median(ms.map((m) => m.records / m.seconds)),
    txRate: median(ms.map((m) => m.transactions / m.seconds)),
    perTx: median(ms.map((m) => (m.transactions ? m.records / m.transactions : 0))),
  };
}

const row = (label: string, s: Summary) =>
  `| ${label} | ${s.node.toFixed(1)} (${s.js.toFixed(1)}) + ${s.broker.toFixed(1)} = ${s.cpu.toFixed(1)} | ` +
  `${(s.node + s.brokerNet).toFixed(1)} | ${Math.round(s.rate)} | ` +
  `${s.txRate ? `${s.txRate.toFixed(1)} (${Math.round(s.perTx)} rec/tx)` : '—'} |`;

/** Prints a markdown table of medians, and the ratios against kafkajs' same step. */
export function printRatios(all: Measurement[]): void {
  console.log(
    '\n| P, step, client | CPU us/record node (JS thread) + broker = total | total, broker net of idle | records/s | tx/s |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  const ratios: string[] = [];
  for (const partitions of [...new Set(all.map((m) => m.partitions))]) {
    const baseline = new Map<string, Summary>();
    for (const step of [...new Set(all.map((m) => m.step))]) {
      for (const client of [...new Set(all.map((m) => m.client))]) {
        const ms = all.filter((m) => m.partitions === partitions && m.step === step && m.client === client);
        if (ms.length === 0) continue;
        const s = summarise(ms);
        console.log(row(`P=${partitions} ${step} ${client}`, s));
        if (client === 'kafkajs') baseline.set(step, s);
        else {
          const ratio = (to: string) => {
            const base = baseline.get(to);
            if (!base) return;
            ratios.push(
              `P=${partitions} ${step} ${client} / kafkajs ${to}: CPU ${(s.cpu / base.cpu).toFixed(2)}x (node ` +
                `${(s.node / base.node).toFixed(2)}x, JS thread ${(s.js / base.js).toFixed(2)}x, broker ` +
                `${(s.broker / base.broker).toFixed(2)}x; net of broker idle ` +
                `${((s.node + s.brokerNet) / (base.node + base.brokerNet)).toFixed(2)}x), ` +
                `records/s ${(s.rate / base.rate).toFixed(2)}x`,
            );
          };
          ratio(step);
          // One transaction per fetch against what production does today.
          if (step === 'hop-fetch') ratio('hop-partition');
        }
      }
    }
  }
  console.log(`\n${ratios.join('\n')}`);
}
