import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';

const MACHINE_FACTORIES_SQL = `
SELECT toString(factory_id) AS factory_id FROM event_changes
WHERE machine_id = {machineId:String}
GROUP BY factory_id HAVING sum(sign) > 0 ORDER BY factory_id`;

const rowSchema = z.object({ factory_id: z.string() });

/**
 * The factories a machine has live events in (winners now, all time), from the change log, whose
 * primary key starts with machine_id: a range read of that machine's rows, not a scan. How the API
 * knows which factories a machine belongs to (machines are not registered anywhere else).
 */
export async function queryMachineFactories(reader: ClickHouseReader, machineId: string): Promise<string[]> {
  const rows = await reader.query(MACHINE_FACTORIES_SQL, { params: { machineId } });
  return parseResult(rowSchema, 'machine factories', rows).map((r) => r.factory_id);
}
