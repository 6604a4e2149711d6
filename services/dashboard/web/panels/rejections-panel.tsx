import type { ReasonCount, Section } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function RejectionsPanel({ section }: { section: Section<ReasonCount[]> }) {
  return (
    <Card title="Rejections by reason" testId="rejections" section={section}>
      {(reasons) => {
        if (reasons.length === 0) return <Empty>No rejected events in the window.</Empty>;
        const max = Math.max(...reasons.map((r) => r.events));
        return (
          <ul class="bars">
            {reasons.map((r) => (
              <li key={r.reason} data-reason={r.reason}>
                <code>{r.reason}</code>
                <span class="bar" style={{ width: `${(r.events / max) * 100}%` }} />
                <span class="count">{formatCount(r.events)}</span>
              </li>
            ))}
          </ul>
        );
      }}
    </Card>
  );
}
