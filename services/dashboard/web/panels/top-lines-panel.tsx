import type { FactoryView, Section } from '../../src/snapshot-types.ts';
import { formatCount, formatDecimal } from '../format.ts';
import { Card, Empty } from './card.tsx';

export function TopLinesPanel(props: { section: Section<FactoryView>; onPick: (factoryId: string) => void }) {
  return (
    <Card title="Top defect lines" testId="top-lines" section={props.section}>
      {(factories) => (
        <>
          <label class="picker">
            Factory{' '}
            <select
              data-testid="factory-picker"
              value={factories.selected ?? ''}
              disabled={factories.ids.length === 0}
              onChange={(e) => props.onPick(e.currentTarget.value)}
            >
              {factories.selected !== null && !factories.ids.includes(factories.selected) && (
                <option value={factories.selected}>{factories.selected}</option>
              )}
              {factories.ids.map((id) => (
                <option value={id} key={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          {factories.topLines.length === 0 ? (
            <Empty>No events for this factory in the window.</Empty>
          ) : (
            <table data-factory-id={factories.selected}>
              <thead>
                <tr>
                  <th>line</th>
                  <th class="num">defects</th>
                  <th class="num">events</th>
                  <th class="num">defects %</th>
                </tr>
              </thead>
              <tbody>
                {factories.topLines.map((l) => (
                  <tr key={l.lineId} data-line-id={l.lineId}>
                    <td>{l.lineId}</td>
                    <td class="num" data-field="totalDefects">
                      {formatCount(l.totalDefects)}
                    </td>
                    <td class="num" data-field="eventCount">
                      {formatCount(l.eventCount)}
                    </td>
                    <td class="num" data-field="defectsPercent">
                      {formatDecimal(l.defectsPercent)}
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
