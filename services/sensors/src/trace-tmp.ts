import { appendFileSync } from 'node:fs';
// TEMPORARY instrumentation (removed before commit): per-alert hop timestamps as JSON lines.
const file = process.env.SHOPFLOOR_SENSOR_TRACE;
export function traceTmp(fields: Record<string, unknown>): void {
  if (file) appendFileSync(file, `${JSON.stringify(fields)}\n`);
}
export const traceOn = file !== undefined;
