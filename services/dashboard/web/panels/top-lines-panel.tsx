import type { FactoryView, Section } from '../../src/snapshot-types.ts';
import { formatCount, formatDecimal } from '../format.ts';
import { Card } from './card.tsx';
import { RankedTable } from './ranked-table.tsx';

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
          <RankedTable
            rows={factories.topLines}
            none="No events for this factory in the window."
            nameHeader="line"
            name={(l) => l.lineId}
            keyAttr="line-id"
            tableAttrs={{ 'data-factory-id': factories.selected }}
            columns={[
              { header: 'defects', field: 'totalDefects', text: (l) => formatCount(l.totalDefects) },
              { header: 'events', field: 'eventCount', text: (l) => formatCount(l.eventCount) },
              { header: 'defects %', field: 'defectsPercent', text: (l) => formatDecimal(l.defectsPercent) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
