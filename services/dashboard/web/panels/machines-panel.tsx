import type { MachineView, Section } from '../../src/snapshot-types.ts';
import { formatCount, formatDecimal } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function MachinesPanel({ section }: { section: Section<MachineView[]> }) {
  return (
    <Card title="Machines (most defects first)" testId="machines" section={section}>
      {(machines) =>
        machines.length === 0 ? (
          <Empty>No events in the window.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>machine</th>
                <th class="num">events</th>
                <th class="num">defects</th>
                <th class="num">defects/h</th>
                <th>health</th>
              </tr>
            </thead>
            <tbody>
              {machines.map((m) => (
                <tr key={m.machineId} data-machine-id={m.machineId}>
                  <td>{m.machineId}</td>
                  <td class="num" data-field="eventsCount">
                    {formatCount(m.eventsCount)}
                  </td>
                  <td class="num" data-field="defectsCount">
                    {formatCount(m.defectsCount)}
                  </td>
                  <td class="num" data-field="avgDefectRate">
                    {formatDecimal(m.avgDefectRate)}
                  </td>
                  <td>
                    <span class={`badge ${m.status.toLowerCase()}`} data-field="status">
                      {m.status}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Card>
  );
}
