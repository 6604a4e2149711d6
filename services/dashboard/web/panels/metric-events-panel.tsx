import type { MetricEventsView, Section } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { Card } from './card.tsx';
import { CountTile } from './count-tile.tsx';
import { RankedTable } from './ranked-table.tsx';

/** Metric-events stream: processed and failed over the window, and the top clients by amount. */
export function MetricEventsPanel({ section }: { section: Section<MetricEventsView> }) {
  return (
    <Card title="Metric events" testId="metric-events" section={section} wide>
      {(m) => (
        <>
          <div class="tiles">
            <CountTile kind="accepted" label="processed" testId="metric-processed" count={m.processed} />
            <CountTile kind="rejected" label="failed" testId="metric-failed" count={m.failed} />
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
          <RankedTable
            rows={m.topClients}
            none="No counted events in the window."
            nameHeader="client"
            name={(c) => c.clientId}
            keyAttr="client-id"
            tableAttrs={{ 'data-testid': 'top-clients' }}
            columns={[
              { header: 'events', field: 'count', text: (c) => formatCount(c.count) },
              {
                header: 'total amount',
                field: 'totalAmount',
                text: (c) => BigInt(c.totalAmount).toLocaleString('en-US'),
                exact: (c) => c.totalAmount,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
