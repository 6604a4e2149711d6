import type { Logger } from 'pino';
import { startDemoEquipment } from './demo-equipment.ts';
import { startDemoMachines } from './demo-machines.ts';
import { startDemoMetricClients } from './demo-metric-clients.ts';

/**
 * The start command's demo (SHOPFLOOR_DEMO): machines posting events, clients posting metric events
 * and, with the sensor stream on, equipment posting readings.
 */
export function startDemoTraffic(options: { baseUrl: string; log: Logger; sensors: boolean }): {
  stop(): void;
} {
  const machines = startDemoMachines({ baseUrl: options.baseUrl, log: options.log });
  const metricClients = startDemoMetricClients({ baseUrl: options.baseUrl, log: options.log });
  const equipment = options.sensors
    ? startDemoEquipment({ baseUrl: options.baseUrl, log: options.log })
    : undefined;
  return {
    stop() {
      machines.stop();
      metricClients.stop();
      equipment?.stop();
    },
  };
}
