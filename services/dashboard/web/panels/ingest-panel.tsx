import { type IngestView, OUTCOMES, type Section } from '../../src/snapshot-types.ts';
import { formatDecimal } from '../format.ts';
import { Card } from './card.tsx';
import { CountTile } from './count-tile.tsx';
import { RateChart } from './rate-chart.tsx';

export function IngestPanel({ section }: { section: Section<IngestView> }) {
  return (
    <Card title="Ingest by outcome" testId="ingest" section={section} wide>
      {(ingest) => (
        <>
          <div class="tiles">
            {OUTCOMES.map((outcome) => (
              <CountTile
                key={outcome}
                kind={outcome}
                label={outcome}
                testId={`total-${outcome}`}
                count={ingest.totals[outcome]}
              >
                <span class="rate" data-testid={`rate-${outcome}`}>
                  {formatDecimal(ingest.perSecond[outcome])} /s
                </span>
              </CountTile>
            ))}
          </div>
          <RateChart buckets={ingest.buckets} bucketMs={ingest.bucketMs} />
        </>
      )}
    </Card>
  );
}
