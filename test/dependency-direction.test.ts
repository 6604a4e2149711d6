import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

// The layout shows the architecture: generic machinery lives in packages/, a service is one
// deployable process composed from them. So dependencies point from services to packages, never
// from a package to a service (by package.json or by a relative path into services/).
const root = path.resolve(import.meta.dirname, '..');
const dirs = (parent: string) =>
  readdirSync(path.join(root, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${parent}/${d.name}`);
type Manifest = { name: string; dependencies?: object; devDependencies?: object };
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Manifest;
const serviceNames = new Set(dirs('services').map((d) => manifest(d).name));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.parentPath.includes('node_modules'))
    .map((f) => path.join(f.parentPath, f.name));
}

describe.each(dirs('packages'))('%s', (dir) => {
  test('depends on no service', () => {
    const { dependencies = {}, devDependencies = {} } = manifest(dir);
    const deps = [...Object.keys(dependencies), ...Object.keys(devDependencies)];
    expect(deps.filter((d) => serviceNames.has(d))).toEqual([]);
  });

  test('imports no service, by name or by path', () => {
    const importers = sourceFiles(dir).filter((file) => {
      const text = readFileSync(file, 'utf8');
      const named = [...serviceNames].some((name) => text.includes(`from '${name}`));
      return named || /from '(\.\.\/)+services\//.test(text);
    });
    expect(importers).toEqual([]);
  });
});

test('the generic stream runner and group projector are packages that the services share', () => {
  expect(serviceNames.size).toBeGreaterThan(0);
  for (const dir of ['services/sensors', 'services/metric-events']) {
    const { dependencies = {} } = manifest(dir);
    expect(Object.keys(dependencies)).toEqual(
      expect.arrayContaining(['@shopfloor/stream-runner', '@shopfloor/group-projector']),
    );
    expect(Object.keys(dependencies).filter((d) => serviceNames.has(d))).toEqual([]);
  }
});
