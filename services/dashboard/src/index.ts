export { type DashboardOptions, dashboardRoutes } from './dashboard-plugin.ts';
export { clickHouseDashboardPorts, type DashboardPorts, systemDashboardPorts } from './dashboard-ports.ts';
export { dashboardWindow } from './dashboard-window.ts';
export type { DashboardSnapshot, WindowKey } from './snapshot-types.ts';
export {
  type ClientTotals,
  clickHouseMetricEventsDashboardPorts,
  clickHouseSensorDashboardPorts,
  type MetricEventsDashboardPorts,
  type SensorDashboardPorts,
} from './stream-dashboard-ports.ts';
export { ALERT_LIMIT, TOP_CLIENTS_LIMIT } from './stream-snapshot.ts';
