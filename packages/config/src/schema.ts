import { z } from 'zod';
import { accessSettingDocs, accessSettings } from './access-settings.ts';
import { clickhouseSettingDocs, clickhouseSettings } from './clickhouse-settings.ts';
import { httpSettingDocs, httpSettings } from './http-settings.ts';
import { metricEventsSettingDocs, metricEventsSettings } from './metric-events-settings.ts';
import { runtimeSettingDocs, runtimeSettings } from './runtime-settings.ts';
import { sensorSettingDocs, sensorSettings } from './sensor-settings.ts';
import { streamSettingDocs, streamSettings } from './stream-settings.ts';

/**
 * Every environment variable Shopfloor reads, with the defaults that make the embedded mode work
 * untouched, composed from one file per area (`*-settings.ts`: each variable's parser next to its
 * doc line). The README's configuration table is generated from `CONFIG_DOCS` below and a test
 * keeps the two in step.
 */
export const configSchema = z.object({
  ...runtimeSettings,
  ...streamSettings,
  ...clickhouseSettings,
  ...httpSettings,
  ...accessSettings,
  ...metricEventsSettings,
  ...sensorSettings,
});

export type RawConfig = z.output<typeof configSchema>;

/** One row per variable, in the order of the README table (the areas' order above). */
export const CONFIG_DOCS: Record<keyof RawConfig, string> = {
  ...runtimeSettingDocs,
  ...streamSettingDocs,
  ...clickhouseSettingDocs,
  ...httpSettingDocs,
  ...accessSettingDocs,
  ...metricEventsSettingDocs,
  ...sensorSettingDocs,
};
