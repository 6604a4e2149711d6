import { describe, expect, it } from 'vitest';
import { inDatabase, viewEnds } from './projection-schema.ts';

const mv =
  'CREATE MATERIALIZED VIEW default.events_mv TO default.events (`event_id` String) AS SELECT event_id FROM default.event_changes WHERE sign = 1';

describe('projection schema', () => {
  it('reads the target and the source of a materialized view', () => {
    expect(viewEnds(mv, 'default')).toEqual({ target: 'events', source: 'event_changes' });
    expect(viewEnds(mv, 'other')).toEqual({});
  });

  it('moves DDL to another database, and only the qualified names', () => {
    expect(inDatabase(mv, 'default', 'default__rebuild')).toBe(
      'CREATE MATERIALIZED VIEW default__rebuild.events_mv TO default__rebuild.events (`event_id` String) AS SELECT event_id FROM default__rebuild.event_changes WHERE sign = 1',
    );
    expect(inDatabase('SELECT x.default.y, `default`.t', 'default', 'rb')).toBe('SELECT x.default.y, rb.t');
  });
});
