/**
 * What the zod check of an insert's rows costs the sensor projector's thread: the JS work of its
 * two per-reading inserts (sensor_readings, sensor_batch_readings) up to the engine's call, with
 * the rows checked against the table's schema (the default) and with `validate: false` (rows the
 * projector built from records its Avro codecs decoded), interleaved round by round. The writer
 * only encodes the values as the handle does for JSONCompactEachRow (one JSON array per line) and
 * hands the engine nothing: the engine's cost is the same either way and would drown the
 * difference (bench/README "Levers" 33 has the pipeline's profile share).
 *
 *   pnpm exec tsx bench/micro/row-validation.ts [readings per group=500] [groups per round=200] [rounds=10]
 */
import {
  type ClickHouseWriter,
  type InsertRequest,
  insertSensorBatchReadings,
  insertSensorReadings,
  type SensorBatchReadingRow,
  type SensorReadingRow,
} from '@shopfloor/clickhouse';
import { mean, round } from '../src/stats.ts';

const READINGS = Number(process.argv[2] ?? 500);
const GROUPS = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 10);
const T0 = Date.UTC(2026, 2, 1);
const TYPES = ['temperature', 'vibration', 'pressure', 'voltage'] as const;

let bytes = 0;
const encodingWriter = {
  async insert(request: InsertRequest) {
    const values = request.values as unknown[][];
    bytes += values.map((v) => JSON.stringify(v)).join('\n').length;
  },
} as unknown as ClickHouseWriter;

function group(g: number): { readings: SensorReadingRow[]; batch: SensorBatchReadingRow[] } {
  const readings: SensorReadingRow[] = [];
  const batch: SensorBatchReadingRow[] = [];
  for (let i = 0; i < READINGS; i++) {
    const equipmentId = `EQ-${i % 200}`;
    const sensorType = TYPES[i % 4]!;
    const timestampMs = T0 + g * 1000 + i;
    readings.push({
      readingKey: `${equipmentId}|${sensorType}|${timestampMs}`,
      readingId: null,
      equipmentId,
      sensorType,
      value: 20 + (i % 7) / 10,
      unit: 'C',
      timestampMs,
      receivedAt: timestampMs + 5,
      assessment: 'normal',
      zScore: 0.4,
      alertId: null,
    });
    batch.push({
      batchId: `job-${g}`,
      seq: i,
      batchSize: READINGS,
      readingId: null,
      decision: 'accepted',
      reason: '',
      recordedAt: timestampMs + 9,
    });
  }
  return { readings, batch };
}

const groups = Array.from({ length: GROUPS }, (_, g) => group(g));

/** CPU (user + system) of one round of every group's two inserts, in us per reading. */
async function roundCpu(validate: boolean): Promise<number> {
  const start = process.cpuUsage();
  for (const [g, { readings, batch }] of groups.entries()) {
    await insertSensorReadings(encodingWriter, readings, { dedupToken: `r${g}`, validate });
    await insertSensorBatchReadings(encodingWriter, batch, { dedupToken: `b${g}`, validate });
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (GROUPS * READINGS);
}

await roundCpu(true); // the first round warms both paths up
await roundCpu(false);
const checked: number[] = [];
const unchecked: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  checked.push(await roundCpu(true));
  unchecked.push(await roundCpu(false));
}
console.log(
  `${ROUNDS} rounds of ${GROUPS} groups of ${READINGS} readings (two inserts a group; ${Math.round(bytes / 1e6)} MB encoded)`,
);
console.log(
  `checked (default):  ${round(mean(checked), 2)} us/reading (rounds ${checked.map((x) => round(x, 2)).join(', ')})`,
);
console.log(
  `validate: false:    ${round(mean(unchecked), 2)} us/reading (rounds ${unchecked.map((x) => round(x, 2)).join(', ')})`,
);
console.log(`ratio unchecked/checked ${round(mean(unchecked) / mean(checked), 2)}x`);
