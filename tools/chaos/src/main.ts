// pnpm chaos [--duration-s 300] [--kills 24] [--broker-restarts 2] [--events 120000] [--seed N]
//            [--sensor-readings 30000] [--metric-events 6000]
//            [--clients 4] [--keep] [--echo] [--json report.json] [--env KEY=VALUE ...]
// Runs the fault-injection harness and exits non-zero when any table or answer differs from the truth.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFaultInjection } from './fault-injection.ts';
import { formatReport } from './format-report.ts';

const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '300' },
    kills: { type: 'string', default: '24' },
    'broker-restarts': { type: 'string', default: '2' },
    events: { type: 'string', default: '120000' },
    'sensor-readings': { type: 'string', default: '30000' },
    'metric-events': { type: 'string', default: '6000' },
    seed: { type: 'string' },
    clients: { type: 'string', default: '4' },
    'settle-timeout-s': { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    echo: { type: 'boolean', default: false },
    json: { type: 'string' },
    env: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: pnpm chaos [--duration-s 300] [--kills 24] [--broker-restarts 2] [--events 120000] [--seed N]\n' +
      '                  [--sensor-readings 30000] [--metric-events 6000]   (0: that stream is not driven)\n' +
      '                  [--clients 4] [--settle-timeout-s 300] [--keep] [--echo] [--json report.json]\n' +
      '                  [--env KEY=VALUE ...]   (extra environment for every service)\n',
  );
  process.exit(0);
}

function int(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
  return n;
}

const serviceEnv: Record<string, string> = {};
for (const pair of values.env ?? []) {
  const eq = pair.indexOf('=');
  if (eq <= 0) {
    process.stderr.write(`--env expects KEY=VALUE, got ${JSON.stringify(pair)}\n`);
    process.exit(2);
  }
  serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
}

const report = await runFaultInjection({
  serviceEnv,
  seed: values.seed === undefined ? Date.now() % 2 ** 31 : int('seed', values.seed, 0),
  durationS: int('duration-s', values['duration-s'], 10),
  kills: int('kills', values.kills, 0),
  brokerRestarts: int('broker-restarts', values['broker-restarts'], 0),
  events: int('events', values.events, 1),
  sensorReadings: int('sensor-readings', values['sensor-readings'], 0),
  metricEvents: int('metric-events', values['metric-events'], 0),
  clients: int('clients', values.clients, 1),
  settleTimeoutS: int('settle-timeout-s', values['settle-timeout-s'], 10),
  keepWorkDir: values.keep,
  echo: values.echo,
});
process.stdout.write(`${formatReport(report)}\n`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
process.exit(report.ok ? 0 : 1);
