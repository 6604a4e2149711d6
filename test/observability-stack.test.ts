import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createShopfloorMetrics } from '../packages/metrics/src/index.ts';
import { COMPOSE_SHOPFLOOR_SERVICES } from './compose-services.ts';

// No Docker engine runs here, so the Prometheus + Grafana part of docker-compose.yml is checked as
// files: the configuration parses, points at what the services serve, and the dashboard's PromQL
// names only metrics the services export.
const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

type ComposeService = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[] };
};
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const ours = Object.entries(compose.services).filter(([, svc]) => svc.build !== undefined);

type ScrapeJob = {
  job_name: string;
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
};
const prometheus = parse(read('infra/prometheus/prometheus.yml')) as { scrape_configs: ScrapeJob[] };

/** The port a Shopfloor service's container listens on (PORT, 3000 unless the service sets it). */
const containerPort = (svc: ComposeService) => Number(svc.environment?.PORT ?? 3000);

/** Every metric name a scrape of any service can hold: ours, the histogram series, the process ones. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = createShopfloorMetrics();
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (['histogram', 'summary'].includes(String(m.type))) {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
    }
  }
  return names;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects (not functions, labels, keywords or numbers). */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings (label values, legend text)
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:])(?!\s*\()/g)]
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w.toLowerCase()) && !/^\$/.test(w));
}

type Panel = {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
  panels?: Panel[];
};
const dashboardFiles = readdirSync(path.join(root, 'infra/grafana/dashboards')).filter((f) =>
  f.endsWith('.json'),
);
const dashboards = dashboardFiles.map((f) => ({
  file: f,
  json: JSON.parse(read(`infra/grafana/dashboards/${f}`)) as {
    uid: string;
    panels: Panel[];
    templating?: { list: { query?: { query: string } | string }[] };
  },
}));
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

describe('Prometheus scrape configuration', () => {
  test('every Shopfloor service of the compose file is scraped on its /metrics port', () => {
    expect(ours.map(([name]) => name).sort()).toEqual(COMPOSE_SHOPFLOOR_SERVICES);
    for (const [name, svc] of ours) {
      const job = prometheus.scrape_configs.find((j) => j.job_name === name);
      expect(job, `scrape job ${name}`).toBeDefined();
      expect(job!.metrics_path ?? '/metrics').toBe('/metrics');
      const targets = [
        ...(job!.static_configs ?? []).flatMap((c) => c.targets),
        ...(job!.dns_sd_configs ?? []).flatMap((c) => c.names.map((n) => `${n}:${c.port}`)),
      ];
      expect(targets, name).toEqual([`${name}:${containerPort(svc)}`]);
    }
  });

  test('the scaled consumers are found by DNS, so every replica is scraped', () => {
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'consumer');
    expect(job?.dns_sd_configs?.[0]?.type).toBe('A');
  });

  test('the compose services run the pinned images and mount the checked-in configuration', () => {
    const promSvc = compose.services.prometheus;
    const grafana = compose.services.grafana;
    expect(promSvc?.image).toBe(`prom/prometheus:${read('infra/prometheus/VERSION').trim()}`);
    expect(grafana?.image).toBe(`grafana/grafana:${read('infra/grafana/VERSION').trim()}`);
    const mounts = [...(promSvc?.volumes ?? []), ...(grafana?.volumes ?? [])]
      .filter((v) => v.startsWith('./'))
      .map((v) => v.split(':')[0]!);
    expect(mounts.sort()).toEqual([
      './infra/grafana/dashboards',
      './infra/grafana/provisioning',
      './infra/prometheus/prometheus.yml',
    ]);
    for (const m of mounts) expect(existsSync(path.join(root, m)), m).toBe(true);
    expect(promSvc?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });
});

describe('Grafana provisioning and dashboard', () => {
  const datasources = parse(read('infra/grafana/provisioning/datasources/prometheus.yml')) as {
    datasources: { uid: string; type: string; url: string }[];
  };
  const providers = parse(read('infra/grafana/provisioning/dashboards/shopfloor.yml')) as {
    providers: { options: { path: string } }[];
  };

  test('the data source is the compose Prometheus; the dashboards are loaded from their mount', () => {
    expect(datasources.datasources).toEqual([
      expect.objectContaining({
        type: 'prometheus',
        url: 'http://prometheus:9090',
        uid: 'shopfloor-prometheus',
      }),
    ]);
    const dashboardsMount = compose.services.grafana?.volumes?.find((v) =>
      v.startsWith('./infra/grafana/dashboards:'),
    );
    expect(dashboardsMount?.split(':')[1]).toBe(providers.providers[0]?.options.path);
  });

  test('the dashboard JSON parses, and every panel queries the provisioned Prometheus', () => {
    expect(dashboards.map((d) => d.file)).toEqual(['shopfloor.json']);
    for (const { json } of dashboards) {
      const panels = allPanels(json.panels).filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThanOrEqual(20);
      for (const p of panels) {
        expect(p.datasource?.uid, p.title).toBe('shopfloor-prometheus');
        expect(p.targets?.length, p.title).toBeGreaterThan(0);
      }
    }
  });

  test("every panel's PromQL names only metrics the services export", async () => {
    const exported = await exportedNames();
    const used = new Set<string>();
    for (const { json } of dashboards) {
      const exprs = [
        ...allPanels(json.panels).flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr] as const)),
        ...(json.templating?.list ?? []).map(
          (v) =>
            [
              'templating',
              (typeof v.query === 'string' ? v.query : (v.query?.query ?? '')).replace(
                /^label_values\(([^,]+),.*$/,
                '$1',
              ),
            ] as const,
        ),
      ];
      for (const [title, expr] of exprs) {
        const names = metricNamesIn(expr);
        expect(names.length, `${title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) {
          expect(exported.has(name), `${title}: ${name} is not exported`).toBe(true);
          used.add(name);
        }
      }
    }
    // The dashboard shows every family the brief asks for.
    for (const family of [
      'shopfloor_events_total',
      'shopfloor_rejections_total',
      'shopfloor_http_request_duration_seconds_bucket',
      'shopfloor_consumer_lag',
      'shopfloor_dedupe_transaction_duration_seconds_bucket',
      'shopfloor_dedupe_transaction_records_sum',
      'shopfloor_projector_insert_duration_seconds_bucket',
      'shopfloor_projector_group_records_sum',
      'shopfloor_dedupe_state_entries',
      'shopfloor_dedupe_restore_duration_seconds_count',
      'process_cpu_seconds_total',
      'shopfloor_sensor_readings_total',
      'shopfloor_sensor_alert_latency_seconds_bucket',
      'shopfloor_metric_events_total',
      'shopfloor_stream_partitions',
    ]) {
      expect(used.has(family), family).toBe(true);
    }
  });

  test('the PromQL name extraction skips functions, labels, ranges and keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(shopfloor_http_request_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))',
      ),
    ).toEqual(['shopfloor_http_request_duration_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_sum[5m])) / sum(rate(a_count[5m])) > bool 0')).toEqual([
      'a_sum',
      'a_count',
    ]);
  });
});
