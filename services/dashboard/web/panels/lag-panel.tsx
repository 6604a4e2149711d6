import type { LagView, Section } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function LagPanel({ section }: { section: Section<LagView[]> }) {
  return (
    <Card title="Consumer lag" testId="lag" section={section}>
      {(groups) =>
        groups.length === 0 ? (
          <Empty>No consumer groups to watch.</Empty>
        ) : (
          <>
            <table>
              <thead>
                <tr>
                  <th>topic · partition</th>
                  <th class="num">committed</th>
                  <th class="num">log end</th>
                  <th class="num">lag</th>
                </tr>
              </thead>
              <tbody>
                {groups.flatMap((g) => [
                  <tr class="group" key={g.groupId}>
                    <th colSpan={3}>group {g.groupId}</th>
                    <th class="num">{formatCount(g.totalLag)}</th>
                  </tr>,
                  ...g.partitions.map((p) => (
                    <tr key={`${g.groupId}/${p.topic}/${p.partition}`} data-group-id={g.groupId}>
                      <td>
                        {p.topic} · {p.partition}
                      </td>
                      <td class="num">{p.committedOffset === null ? '–' : formatCount(p.committedOffset)}</td>
                      <td class="num">{formatCount(p.logEndOffset)}</td>
                      <td class={p.lag > 0 ? 'num behind' : 'num'}>{formatCount(p.lag)}</td>
                    </tr>
                  )),
                ])}
              </tbody>
            </table>
            <p class="note">
              Records not yet consumed: log end minus committed offset. A topic written in transactions
              (events.changes) keeps up to 1 per partition when caught up: the transaction's commit marker.
            </p>
          </>
        )
      }
    </Card>
  );
}
