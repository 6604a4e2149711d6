import type { DeadLetterView, Section } from '../../src/snapshot-types.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function DeadLettersPanel({ section }: { section: Section<DeadLetterView[]> }) {
  return (
    <Card title="Recent dead letters" testId="dead-letters" section={section} wide>
      {(letters) =>
        letters.length === 0 ? (
          <Empty>No rejected events yet.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>received (UTC)</th>
                <th>event</th>
                <th>reason</th>
                <th>message</th>
                <th>batch</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((d) => (
                <tr key={`${d.batchId}:${d.seq}`} data-event-id={d.eventId ?? ''}>
                  <td title={d.receivedAt}>
                    {formatDateTime(d.receivedAt).slice(0, 10)} {formatTime(d.receivedAt)}
                  </td>
                  <td>{d.eventId ?? <em>none</em>}</td>
                  <td>
                    <code data-field="reason">{d.reason}</code>
                  </td>
                  <td class="message">{d.message}</td>
                  <td class="batch" title={d.batchId}>
                    {d.batchId.slice(0, 8)}…#{d.seq}
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
