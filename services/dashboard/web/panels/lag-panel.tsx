import type { LagView, Section } from '../../src/snapshot-types.ts';
import { formatCount } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function LagPanel({ section }: { section: Section<LagView[]> }) {
  return (
    <Card title="Consumer lag" testId="lag" section={section} wide>
      {(groups) =>
        groups.length === 0 ? (
          <Empty>No consumer groups to watch.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>group</th>
                <th>topic</th>
                <th class="num">partition</th>
                <th class="num">committed</th>
                <th class="num">log end</th>
                <th class="num">lag</th>
              </tr>
            </thead>
            <tbody>
              {groups.flatMap((g) =>
                g.partitions.map((p) => (
                  <tr key={`${g.groupId}/${p.topic}/${p.partition}`} data-group-id={g.groupId}>
                    <td>{g.groupId}</td>
                    <td>{p.topic}</td>
                    <td class="num">{p.partition}</td>
                    <td class="num">{p.committedOffset === null ? '–' : formatCount(p.committedOffset)}</td>
                    <td class="num">{formatCount(p.logEndOffset)}</td>
                    <td class={p.lag > 0 ? 'num behind' : 'num'}>{formatCount(p.lag)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )
      }
    </Card>
  );
}
