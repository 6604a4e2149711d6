export { configTableMarkdown } from './docs.ts';
export {
  type BiEndpointConfig,
  ConfigError,
  loadConfig,
  type ShopfloorConfig,
  type ShopfloorTopics,
} from './load-config.ts';
export { V8_HEAP_FLAG_NAMES, v8HeapFlags } from './runtime-settings.ts';
export { CONFIG_DOCS, configSchema, type RawConfig } from './schema.ts';
export { stopOnSignals } from './shutdown.ts';
