import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_SHOPFLOOR_SERVICES } from './compose-services.ts';

const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<
    string,
    { image?: string; command?: string[]; deploy?: { replicas?: number }; ports?: string[] }
  >;
};

describe('docker-compose.yml', () => {
  test('Kafka runs the version pinned in infra/kafka/VERSION, from the official image', () => {
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${read('infra/kafka/VERSION').trim()}`);
  });

  test('the schema registry runs the Apicurio version pinned in infra/schema-registry/VERSION, from the official image', () => {
    expect(compose.services['schema-registry']?.image).toBe(
      `apicurio/apicurio-registry:${read('infra/schema-registry/VERSION').trim()}`,
    );
  });

  test('ClickHouse runs the version pinned in infra/clickhouse/VERSION, from the official image', () => {
    expect(compose.services.clickhouse?.image).toBe(
      `clickhouse/clickhouse-server:${read('infra/clickhouse/VERSION').trim()}`,
    );
  });

  test('every service command points at an entry point that exists', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const entry = svc.command?.find((part) => part.endsWith('.ts'));
      if (entry) expect(() => read(entry), `${name}: ${entry}`).not.toThrow();
    }
  });

  test('no two services publish the same host port', () => {
    // "[ip:]host:container": the host side is what must be unique on the machine.
    const hostPorts = Object.values(compose.services).flatMap((svc) =>
      (svc.ports ?? []).map((p) => p.split(':').at(-2)),
    );
    expect(hostPorts.length).toBeGreaterThan(0);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  test('the dedupe consumers are scalable', () => {
    expect(compose.services.consumer?.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  test('every Shopfloor service is health-checked on /ready, not /health', () => {
    const merged = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { build?: string; healthcheck?: { test?: string[] } }>;
    };
    const ours = Object.entries(merged.services).filter(([, svc]) => svc.build !== undefined);
    expect(ours.map(([name]) => name).sort()).toEqual(COMPOSE_SHOPFLOOR_SERVICES);
    for (const [name, svc] of ours) expect(svc.healthcheck?.test?.join(' '), name).toContain('/ready');
  });

  test('every Shopfloor service listens beyond loopback, so it gets a bootstrap key (compose refuses to start without one)', () => {
    const merged = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { build?: string; environment?: Record<string, string> }>;
    };
    expect(read('Dockerfile')).toMatch(/HOST=0\.0\.0\.0/);
    const ours = Object.entries(merged.services).filter(([, svc]) => svc.build !== undefined);
    for (const [name, svc] of ours)
      expect(svc.environment?.SHOPFLOOR_BOOTSTRAP_KEY, name).toMatch(/^\$\{SHOPFLOOR_BOOTSTRAP_KEY:\?.+\}$/);
  });
});
