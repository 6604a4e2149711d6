export { type DashboardOptions, dashboardRoutes } from './dashboard-plugin.ts';
export { clickHouseDashboardPorts, type DashboardPorts, systemDashboardPorts } from './dashboard-ports.ts';
export { dashboardWindow } from './dashboard-window.ts';
export type { DashboardSnapshot, WindowKey } from './snapshot-types.ts';
