import { describe, expect, it } from 'vitest';
import { sensorAlertPageFilter } from './sensor-alert-filter.ts';

// What each filter turns into: a term only when given, values only as parameters.
describe('sensorAlertPageFilter', () => {
  it('builds no WHERE clause and no parameter without filters', () => {
    expect(sensorAlertPageFilter({})).toEqual({ where: '', params: {} });
  });

  it('builds one term per filter given, in a fixed order, values as parameters', () => {
    const f = sensorAlertPageFilter({
      equipmentId: "EQ-1' OR 1=1 --",
      severity: 'CRITICAL',
      status: 'RESOLVED',
      fromMs: 1,
      toMs: 2,
      after: { raisedAtMs: 3, alertId: 'a-9' },
    });
    expect(f.params).toEqual({
      equipmentId: "EQ-1' OR 1=1 --",
      severity: 'CRITICAL',
      fromMs: 1,
      toMs: 2,
      afterMs: 3,
      afterId: 'a-9',
    });
    expect(f.where).not.toContain('EQ-1');
    expect(f.where).not.toContain("= ''");
    expect(f.where.split(' AND ').slice(0, 5)).toEqual([
      'WHERE equipment_id = {equipmentId:String}',
      'severity = {severity:String}',
      'alert_id IN (SELECT alert_id FROM sensor_alert_resolutions)',
      "raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')",
      "raised_at < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')",
    ]);
    expect(f.where).toContain('alert_id > {afterId:String}');
  });

  it('turns status OPEN into the complement of the resolved ids, with no parameter', () => {
    expect(sensorAlertPageFilter({ status: 'OPEN' })).toEqual({
      where: 'WHERE alert_id NOT IN (SELECT alert_id FROM sensor_alert_resolutions)',
      params: {},
    });
  });
});
