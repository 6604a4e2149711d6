// What the integration project's global setup provides to tests (`inject('kafkaBrokers')`, `inject('schemaRegistryUrl')`).
// Other fixture files may add their own keys in their own augmentation.
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    /** The schema registry's Confluent-compatible API, e.g. http://127.0.0.1:41235/apis/ccompat/v7 */
    schemaRegistryUrl: string;
  }
}
