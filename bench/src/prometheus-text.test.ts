import { describe, expect, test } from 'vitest';
import { promSum } from './prometheus-text.ts';

describe('promSum', () => {
  test('sums every label set of one metric and nothing else', () => {
    const text = [
      '# HELP shopfloor_dedupe_transaction_records Raw records per committed dedupe transaction.',
      'shopfloor_dedupe_transaction_records_bucket{le="10"} 3',
      'shopfloor_dedupe_transaction_records_sum 1520',
      'shopfloor_dedupe_transaction_records_count 4',
      'shopfloor_projector_group_records_sum{stream="a"} 10',
      'shopfloor_projector_group_records_sum{stream="b"} 5.5',
    ].join('\n');
    expect(promSum(text, 'shopfloor_dedupe_transaction_records_sum')).toBe(1520);
    expect(promSum(text, 'shopfloor_dedupe_transaction_records_count')).toBe(4);
    expect(promSum(text, 'shopfloor_projector_group_records_sum')).toBe(15.5);
    expect(promSum(text, 'shopfloor_missing_total')).toBe(0);
  });
});
