import { type IngestView, OUTCOMES } from '../../src/snapshot-types.ts';
import { formatTime } from '../format.ts';

const WIDTH = 600;
const HEIGHT = 120;

/** Events per second in each bucket, stacked by outcome, as an SVG bar chart. */
export function RateChart({ buckets, bucketMs }: { buckets: IngestView['buckets']; bucketMs: number }) {
  const seconds = bucketMs / 1000;
  const totals = buckets.map((b) => OUTCOMES.reduce((sum, o) => sum + b[o], 0) / seconds);
  const max = Math.max(1, ...totals);
  const barWidth = WIDTH / Math.max(1, buckets.length);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="events per second by outcome">
        {buckets.map((b, i) => {
          let y = HEIGHT;
          return (
            <g key={b.startMs}>
              {OUTCOMES.map((o) => {
                const h = (b[o] / seconds / max) * (HEIGHT - 4);
                y -= h;
                return h > 0 ? (
                  <rect class={o} key={o} x={i * barWidth + 1} y={y} width={barWidth - 2} height={h} />
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span>{first ? formatTime(first.startMs) : ''}</span>
        <span>
          peak {max.toFixed(1)} events/s per {seconds} s bucket
        </span>
        <span>{last ? formatTime(last.startMs + bucketMs) : ''}</span>
      </figcaption>
    </figure>
  );
}
