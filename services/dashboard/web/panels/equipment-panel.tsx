import { EQUIPMENT_STATUS_KEYS, type Section, type SensorStreamView } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { AlertsTable } from './alerts-table.tsx';
import { Card } from './card.tsx';
import { CountTile } from './count-tile.tsx';

/** Sensor stream: equipment per status and the open CRITICAL alerts. */
export function EquipmentPanel({ section }: { section: Section<SensorStreamView> }) {
  return (
    <Card title="Equipment (sensor readings)" testId="equipment" section={section}>
      {(sensors) => (
        <>
          <div class="tiles">
            {EQUIPMENT_STATUS_KEYS.map((status) => (
              <CountTile
                key={status}
                kind={`equipment-${status.toLowerCase()}`}
                label={status}
                testId={`equipment-${status}`}
                count={sensors.equipment[status]}
              />
            ))}
          </div>
          <p class="note" data-testid="equipment-total">
            {formatCount(sensors.equipment.total)} pieces of equipment registered
          </p>
          <h3>Open critical alerts</h3>
          <AlertsTable
            alerts={sensors.criticalAlerts}
            testId="critical-alerts"
            none="No open critical alert."
          />
        </>
      )}
    </Card>
  );
}

/** Sensor stream: the latest alerts, whatever their severity or status. */
export function RecentAlertsPanel({ section }: { section: Section<SensorStreamView> }) {
  return (
    <Card title="Recent alerts" testId="recent-alerts" section={section}>
      {(sensors) => (
        <AlertsTable alerts={sensors.recentAlerts} testId="recent-alerts-table" none="No alert yet." />
      )}
    </Card>
  );
}
