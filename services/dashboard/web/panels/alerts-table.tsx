import type { AlertView } from '../../src/snapshot-types.ts';
import { formatDecimal, formatTime } from '../format.ts';
import { Empty } from './card.tsx';

/** Alerts newest first, one row each (`data-alert-id`, fields as `data-field`). */
export function AlertsTable(props: { alerts: AlertView[]; testId: string; none: string }) {
  if (props.alerts.length === 0) return <Empty>{props.none}</Empty>;
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th>raised (UTC)</th>
          <th>equipment</th>
          <th>sensor</th>
          <th>severity</th>
          <th class="num">value</th>
          <th class="num">z</th>
          <th>status</th>
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((a) => (
          <tr key={a.alertId} data-alert-id={a.alertId}>
            <td title={a.raisedAt}>{formatTime(a.raisedAt)}</td>
            <td data-field="equipmentId">{a.equipmentId}</td>
            <td data-field="sensorType">{a.sensorType}</td>
            <td>
              <span class={`badge severity-${a.severity.toLowerCase()}`} data-field="severity">
                {a.severity}
              </span>
            </td>
            <td class="num" data-field="value">
              {formatDecimal(a.value)}
            </td>
            <td class="num" data-field="zScore">
              {a.zScore === null ? '—' : formatDecimal(a.zScore)}
            </td>
            <td data-field="status">{a.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
