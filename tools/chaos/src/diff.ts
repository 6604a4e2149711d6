// One comparison of keyed expectations with what the pipeline holds, with a few samples of what differs.

export type TableDiff = {
  table: string;
  expectedKeys: number;
  actualKeys: number;
  missing: number;
  extra: number;
  mismatched: number;
  /** Total of missing + extra + mismatched: must be 0. */
  differences: number;
  samples: string[];
};

const SAMPLES = 8;

/** A row count the truth can only bound: at least `min`, at most `max` (one per request that may have landed). */
export type RowRange = { min: number; max: number };

/**
 * For keyed rows whose count is bounded rather than exact: `got.rows` (a count) within `want.rows`
 * (a range, or an exact count), and every other field equal.
 */
export function withinRows<T extends { rows: number | RowRange }>(want: T, got: T): boolean {
  const { rows: w, ...wantRest } = want;
  const { rows: g, ...gotRest } = got;
  if (typeof g !== 'number') return false;
  const inRange = typeof w === 'number' ? g === w : g >= w.min && g <= w.max;
  const fields = (o: object) => JSON.stringify(o, Object.keys(o).sort());
  return inRange && fields(wantRest) === fields(gotRest);
}

/** Compares two keyed maps; an entry whose counts are all zero counts as absent. */
export function diffMaps<T>(
  table: string,
  expected: Map<string, T>,
  actual: Map<string, T>,
  same: (a: T, b: T) => boolean,
  isEmpty: (v: T) => boolean = () => false,
): TableDiff {
  const d: TableDiff = {
    table,
    expectedKeys: 0,
    actualKeys: 0,
    missing: 0,
    extra: 0,
    mismatched: 0,
    differences: 0,
    samples: [],
  };
  const sample = (line: string) => {
    if (d.samples.length < SAMPLES) d.samples.push(line);
  };
  for (const [key, want] of expected) {
    if (isEmpty(want)) continue;
    d.expectedKeys++;
    const got = actual.get(key);
    if (got === undefined || isEmpty(got)) {
      d.missing++;
      sample(`missing ${key}: expected ${JSON.stringify(want)}`);
    } else if (!same(want, got)) {
      d.mismatched++;
      sample(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  for (const [key, got] of actual) {
    if (isEmpty(got)) continue;
    d.actualKeys++;
    const want = expected.get(key);
    if (want === undefined || isEmpty(want)) {
      d.extra++;
      sample(`extra ${key}: ${JSON.stringify(got)}`);
    }
  }
  d.differences = d.missing + d.extra + d.mismatched;
  return d;
}
