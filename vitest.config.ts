import { defineConfig } from 'vitest/config';

// Unit tests are pure and run in threads. Integration and end-to-end tests share one real Kafka
// broker started by the global setup, and run in forked processes because libchdb binds one data
// directory per process.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{packages,services,infra,tools}/*/src/**/*.test.ts',
            '{packages,services,infra,tools}/*/test/**/*.test.ts',
            'bench/src/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.integration.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts', '**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          pool: 'forks',
          globalSetup: ['packages/test-support/src/global-kafka.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
