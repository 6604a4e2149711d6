import type { MetricEventsView, Section } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { Card, Empty } from './card.tsx';

/** Metric-events stream: processed and failed over the window, and the top clients by amount. */
export function MetricEventsPanel({ section }: { section: Section<MetricEventsView> }) {
  return (
    <Card title="Metric events" testId="metric-events" section={section} wide>
      {(m) => (
        <>
          <div class="tiles">
            <div class="tile accepted">
              <span class="label">processed</span>
              <span class="value" data-testid="metric-processed">
                {formatCount(m.processed)}
              </span>
            </div>
            <div class="tile rejected">
              <span class="label">failed</span>
              <span class="value" data-testid="metric-failed">
                {formatCount(m.failed)}
              </span>
            </div>
          </div>
          {m.failedByReason.length > 0 && (
            <ul class="reasons" data-testid="metric-failed-reasons">
              {m.failedByReason.map((r) => (
                <li key={r.reason} data-reason={r.reason}>
                  <code>{r.reason}</code> <span class="count">{formatCount(r.events)}</span>
                </li>
              ))}
            </ul>
          )}
          <h3>Top clients by total amount</h3>
          {m.topClients.length === 0 ? (
            <Empty>No counted events in the window.</Empty>
          ) : (
            <table data-testid="top-clients">
              <thead>
                <tr>
                  <th>client</th>
                  <th class="num">events</th>
                  <th class="num">total amount</th>
                </tr>
              </thead>
              <tbody>
                {m.topClients.map((c) => (
                  <tr key={c.clientId} data-client-id={c.clientId}>
                    <td>{c.clientId}</td>
                    <td class="num" data-field="count">
                      {formatCount(c.count)}
                    </td>
                    <td class="num" data-field="totalAmount" data-exact={c.totalAmount}>
                      {BigInt(c.totalAmount).toLocaleString('en-US')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Card>
  );
}
