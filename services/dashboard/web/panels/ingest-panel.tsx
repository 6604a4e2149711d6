import { type IngestView, OUTCOMES, type Section } from '../../src/snapshot-types.ts';
import { formatCount, formatDecimal } from '../format.ts';
import { Card } from './card.tsx';
import { RateChart } from './rate-chart.tsx';

export function IngestPanel({ section }: { section: Section<IngestView> }) {
  return (
    <Card title="Ingest by outcome" testId="ingest" section={section} wide>
      {(ingest) => (
        <>
          <div class="tiles">
            {OUTCOMES.map((outcome) => (
              <div class={`tile ${outcome}`} key={outcome}>
                <span class="label">{outcome}</span>
                <span class="value" data-testid={`total-${outcome}`}>
                  {formatCount(ingest.totals[outcome])}
                </span>
                <span class="rate" data-testid={`rate-${outcome}`}>
                  {formatDecimal(ingest.perSecond[outcome])} /s
                </span>
              </div>
            ))}
          </div>
          <RateChart buckets={ingest.buckets} bucketMs={ingest.bucketMs} />
        </>
      )}
    </Card>
  );
}
